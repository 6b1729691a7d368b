#!/bin/sh
# check_minimize.sh TOOL TRACE TMPDIR: minimize gives a shorter trace with
# the same first report kind.
tool=$1 trace=$2 tmp=$3
fail() { echo "FAIL: $*" >&2; exit 1; }
mkdir -p "$tmp"
first_kind() {
	"$tool" replay --json "$1" | python3 -c 'import json,sys; print(json.loads(sys.stdin.readline())["kind"])'
}
want=$(first_kind "$trace")
[ -n "$want" ] || fail "the input gives no report"
"$tool" minimize "$trace" -o "$tmp/min.trace" || fail "minimize failed"
calls() { grep -cv '^[[:space:]]*\(#\|$\)' "$1"; }
before=$(calls "$trace") after=$(calls "$tmp/min.trace")
[ "$after" -lt "$before" ] || fail "not shorter: $after of $before"
[ "$after" = 3 ] || fail "not minimal: $after lines, the smallest has 3"
got=$(first_kind "$tmp/min.trace")
[ "$got" = "$want" ] || fail "first kind $got, want $want"
"$tool" replay "$tmp/min.trace" >/dev/null
[ $? = 66 ] || fail "the minimized trace does not report"
# To stdout, the same trace.
"$tool" minimize "$trace" | cmp -s - "$tmp/min.trace" || fail "stdout differs from -o"
# A clean trace has nothing to minimize.
printf 'm1 = mmap 0 4096 3 0x22 -1 0\nmunmap m1 4096\n' > "$tmp/clean.trace"
"$tool" minimize "$tmp/clean.trace" >/dev/null 2>&1
[ $? = 1 ] || fail "a clean trace was minimized"
exit 0
