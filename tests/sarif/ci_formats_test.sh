#!/bin/sh
# Runs the subject under the launcher with --sarif and --junit, then checks
# both files. Environment: MAPSAN, SUBJECT, PYTHON, SCHEMA, CHECK.
set -eu
mode=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
status=0
case $mode in
clean)
	"$MAPSAN" --sarif "$dir/out.sarif" --junit "$dir/out.xml" -- "$SUBJECT" clean >"$dir/out" 2>"$dir/err" || status=$?
	expect_status=0
	set -- 3
	;;
reports)
	"$MAPSAN" --keep-going --sarif "$dir/out.sarif" --junit "$dir/out.xml" -- "$SUBJECT" >"$dir/out" 2>"$dir/err" || status=$?
	expect_status=66
	set -- 3 map-flags=1 partial-unmap=1
	;;
*)
	echo "unknown mode $mode" >&2
	exit 2
	;;
esac
if [ "$status" -ne "$expect_status" ]; then
	cat "$dir/err" >&2
	echo "FAIL: launcher exited $status, expected $expect_status" >&2
	exit 1
fi
grep -qx done "$dir/out" || { echo "FAIL: the subject did not finish" >&2; exit 1; }
exec "$PYTHON" "$CHECK" "$SCHEMA" "$dir/out.sarif" "$dir/out.xml" "$@"
