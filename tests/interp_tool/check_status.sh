#!/bin/sh
# check_status.sh TOOL SCRIPTS_DIR TMPDIR: exit statuses and messages of SPEC §6.
tool=$1 scripts=$2 tmp=$3
fail() { echo "FAIL: $*" >&2; exit 1; }
mkdir -p "$tmp"

# A report nobody expected: 66, and the report on stdout.
grep -v '^expect' "$scripts/kind_partial_unmap.trace" > "$tmp/unexpected.trace"
out=$("$tool" replay "$tmp/unexpected.trace"); rc=$?
[ "$rc" = 66 ] || fail "unexpected report: exit $rc, want 66"
echo "$out" | grep -q '^==0==ERROR: mapsan: Undefined Behavior: partial-unmap: ' || fail "no text report: $out"
[ "$(echo "$out" | grep -c '^SUMMARY')" = 1 ] || fail "replay did not stop at the first report"
out=$("$tool" replay --keep-going "$tmp/unexpected.trace"); rc=$?
[ "$rc" = 66 ] || fail "--keep-going: exit $rc"
[ "$(echo "$out" | grep -c '^SUMMARY')" = 3 ] || fail "--keep-going did not carry on: $out"

# An expectation that fails: 1, with its position.
sed 's/^expect double-unmap/expect partial-unmap/' "$scripts/kind_double_unmap.trace" > "$tmp/wrong.trace"
err=$("$tool" replay "$tmp/wrong.trace" 2>&1 >/dev/null); rc=$?
[ "$rc" = 1 ] || fail "failed expectation: exit $rc, want 1"
[ "$err" = "$tmp/wrong.trace:5:1: expected partial-unmap, got double-unmap" ] || fail "message: $err"
printf 'munmap 0x7f0000000000 4096\nexpect clean\n' > "$tmp/clean.trace"
err=$("$tool" replay "$tmp/clean.trace" 2>&1 >/dev/null); rc=$?
[ "$rc" = 1 ] && [ "$err" = "$tmp/clean.trace:2:1: expected clean, got unmap-untracked" ] || fail "expect clean: $rc $err"

# Policy: --policy overrides the file; native allows a partial unmap.
"$tool" replay --policy native "$tmp/unexpected.trace" >/dev/null || fail "native reported a partial unmap"
"$tool" replay --policy=miri "$scripts/native_real_bugs_only.trace" >/dev/null 2>&1
[ $? = 1 ] || fail "--policy miri did not override the file's policy"

# Usage: one line on stderr, exit 2.
for args in "" "frobnicate x" "replay" "replay a b" "replay --bogus x" "minimize x --json" "run x --policy native"; do
	# shellcheck disable=SC2086
	err=$("$tool" $args 2>&1 >/dev/null); rc=$?
	[ "$rc" = 2 ] || fail "'$args': exit $rc, want 2"
	[ "$(echo "$err" | wc -l)" = 1 ] && echo "$err" | grep -q '^usage: mapsan-interp ' || fail "'$args': $err"
done
err=$("$tool" replay "$tmp/does-not-exist" 2>&1); rc=$?
[ "$rc" = 2 ] && [ "$(echo "$err" | wc -l)" = 1 ] || fail "missing file: $rc $err"
# run: native failures are bad input too, with their position.
printf 'load ./no-such-library.so\n' > "$tmp/load.script"
err=$("$tool" run "$tmp/load.script" 2>&1); rc=$?
[ "$rc" = 2 ] && echo "$err" | grep -q "^$tmp/load.script:1:1: cannot load: " || fail "load: $rc $err"
printf '\ncall no_such_function_here() -> void\n' > "$tmp/call.script"
err=$("$tool" run "$tmp/call.script" 2>&1); rc=$?
[ "$rc" = 2 ] && [ "$err" = "$tmp/call.script:2:1: no such function: no_such_function_here" ] || fail "call: $rc $err"
printf 'm1 = mmap 0 0 3 0x22 -1 0\nmunmap m1 4096\n' > "$tmp/unbound.script"
err=$("$tool" run "$tmp/unbound.script" 2>&1); rc=$?
[ "$rc" = 2 ] && [ "$err" = "$tmp/unbound.script:2:8: m1 has no value: the call that defines it failed" ] || fail "unbound: $rc $err"
printf 'n = call getpid() -> int\nm1 = mmap 0 4096 3 0x22 -1 0\nmunmap m1 4096\n' > "$tmp/ok.script"
"$tool" run "$tmp/ok.script" || fail "a clean script did not run"

"$tool" --help | grep -q 'minimize FILE' || fail "--help"
"$tool" --version | grep -q '^mapsan-interp [0-9]' || fail "--version"
exit 0
