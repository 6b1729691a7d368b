#!/bin/sh
# Debian's allocators as the process's malloc under mapsan, running the
# thread and fork stress (alloc_stress).
#   alloc_test.sh native LIB
#     the same stdout and status as without mapsan, and no report
#   alloc_test.sh miri LIB REQUIRED ALLOWED [VAR=VALUE...]
#     with --keep-going: the run completes with the same stdout, every
#     kind in REQUIRED is reported and no kind outside REQUIRED+ALLOWED
#     (comma-separated lists, "-" for none). VAR=VALUE are the allocator's
#     options (MALLOC_CONF=..., MIMALLOC_...=...) or MAPSAN_OPTIONS; the
#     word "nofork" leaves the stress's fork out.
# LIB is a library path, or "glibc" for libc's own malloc. Environment:
# MAPSAN, STRESS, PYTHON. Exit 77 when LIB is absent.
set -eu
mode=$1
lib=$2
shift 2
if [ "$lib" != glibc ] && [ ! -e "$lib" ]; then
	echo "$lib not found: skipped"
	exit 77
fi
preload=
[ "$lib" = glibc ] || preload=$lib
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

required=-
allowed=-
if [ "$mode" = miri ]; then
	required=$1
	allowed=$2
	shift 2
fi

stress_arg=
for word in "$@"; do
	[ "$word" = nofork ] && stress_arg=nofork
done
if [ -n "$stress_arg" ]; then
	for word in "$@"; do
		shift
		[ "$word" = nofork ] || set -- "$@" "$word"
	done
fi

native=0
env "$@" ${preload:+LD_PRELOAD=$preload} "$STRESS" $stress_arg >"$dir/native.out" 2>"$dir/native.err" || native=$?
if [ "$native" -ne 0 ]; then
	cat "$dir/native.err" >&2
	echo "FAIL: the stress fails without mapsan ($native)" >&2
	exit 1
fi

under=0
if [ "$mode" = native ]; then
	env "$@" ${preload:+LD_PRELOAD=$preload} "$MAPSAN" --policy native --json "$dir/r.json" -- "$STRESS" $stress_arg \
		>"$dir/out" 2>"$dir/err" || under=$?
	expect=0
else
	env "$@" ${preload:+LD_PRELOAD=$preload} "$MAPSAN" --policy miri --keep-going --json "$dir/r.json" -- "$STRESS" $stress_arg \
		>"$dir/out" 2>"$dir/err" || under=$?
	expect=0
	[ "$required" = - ] || expect=66
fi
if [ "$under" -ne "$expect" ]; then
	tail -40 "$dir/err" >&2
	echo "FAIL: exit status $under under mapsan, expected $expect" >&2
	exit 1
fi
if ! cmp -s "$dir/native.out" "$dir/out"; then
	diff "$dir/native.out" "$dir/out" >&2 || true
	echo "FAIL: stdout differs under mapsan" >&2
	exit 1
fi
exec "$PYTHON" - "$dir/r.json" "$required" "$allowed" <<'PY'
import collections, json, sys
reports = json.load(open(sys.argv[1]))
split = lambda s: set() if s == "-" else set(s.split(","))
required, allowed = split(sys.argv[2]), split(sys.argv[3])
seen = collections.Counter(r["kind"] for r in reports)
print("kinds:", dict(seen))
missing = required - set(seen)
extra = set(seen) - required - allowed
if missing or extra:
    for r in reports:
        if r["kind"] in extra:
            print(r["message"], [f.get("function") or f.get("offset") for f in r["stack"]][:6])
            break
    sys.exit("FAIL: kinds missing %s, unexpected %s" % (sorted(missing), sorted(extra)))
PY
