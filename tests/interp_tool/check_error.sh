#!/bin/sh
# check_error.sh TOOL FILE: FILE's first line is "# error: LINE:COL: MESSAGE";
# the tool must print exactly "FILE:LINE:COL: MESSAGE" on stderr and exit 2.
tool=$1 file=$2
mode=replay
case $file in *.script) mode=run ;; esac
want="$file:$(sed -n '1s/^# error: //p' "$file")"
got=$("$tool" "$mode" "$file" 2>&1 >/dev/null)
rc=$?
if [ "$rc" != 2 ]; then
	echo "exit status $rc, want 2" >&2
	exit 1
fi
if [ "$got" != "$want" ]; then
	printf 'stderr: %s\nwant:   %s\n' "$got" "$want" >&2
	exit 1
fi
