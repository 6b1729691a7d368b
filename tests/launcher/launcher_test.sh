#!/bin/sh
# The launcher's behaviour, one case per invocation: launcher_test.sh CASE.
# The environment names the binaries: MAPSAN, FAKE_RT, FAKE_OTHER, SUBJECT,
# SUBJECT_NOPIE, STATIC_SUBJECT (empty when -static cannot link),
# SUBJECT_SRC, CHECK_PY, PYTHON, VERSION.
set -u

T=$(mktemp -d "${TMPDIR:-/tmp}/mapsan-launcher-test.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT
export MAPSAN_RUNTIME="$FAKE_RT"
unset LD_PRELOAD MAPSAN_OPTIONS FAKE_MAPSAN_REPORT

REPORT='{"kind":"partial-unmap","severity":"ub","call":"munmap","args":["0x7f3a2c000000","0x1000"],"pid":@PID@,"message":"mapping has size 8192, but munmap gave size 4096","mapping":{"base":"0x7f3a2c000000","size":8192},"stack":[{"pc":"0x55d1c0a01234","module":"/nonexistent/libchunk.so","offset":"0x1234","function":"chunk_trim"}],"origin_stack":[{"pc":"0x55d1c0a01111","module":"/nonexistent/libchunk.so","offset":"0x1111","function":"chunk_map"}]}'

fail() {
	echo "FAIL: $*" >&2
	echo "--- stdout" >&2; cat "$T/out" >&2 2>/dev/null
	echo "--- stderr" >&2; cat "$T/err" >&2 2>/dev/null
	exit 1
}

# run ARGS...: the launcher's status in $status, its output in $T/out, $T/err.
run() {
	"$MAPSAN" "$@" >"$T/out" 2>"$T/err"
	status=$?
}

expect_status() {
	[ "$status" -eq "$1" ] || fail "status $status, expected $1"
}

expect_err() {
	grep -q -e "$1" "$T/err" || fail "stderr lacks: $1"
}

expect_no_err() {
	! grep -q -e "$1" "$T/err" || fail "stderr has: $1"
}

last_err_line() {
	tail -n 1 "$T/err"
}

expect_summary() {
	[ "$(last_err_line)" = "$1" ] || fail "summary '$(last_err_line)', expected '$1'"
}

case_help() {
	run --help
	expect_status 0
	grep -q '^usage: mapsan' "$T/out" || fail "no usage on stdout"
	grep -q -- '--keep-going' "$T/out" || fail "help lacks --keep-going"
	[ ! -s "$T/err" ] || fail "help wrote to stderr"
}

case_version() {
	run --version
	expect_status 0
	[ "$(cat "$T/out")" = "mapsan $VERSION" ] || fail "version '$(cat "$T/out")'"
}

case_unknown_flag() {
	run --bogus -- "$SUBJECT" exit 0
	expect_status 2
	[ "$(wc -l <"$T/err")" -eq 1 ] || fail "expected one line on stderr"
	expect_err 'unknown option --bogus'
	expect_err 'usage: mapsan'
}

case_missing_command() {
	run
	expect_status 2
	[ "$(wc -l <"$T/err")" -eq 1 ] || fail "expected one line on stderr"
	expect_err 'usage: mapsan'
	run --keep-going --json "$T/x.json" --
	expect_status 2
	expect_err 'no command'
	run --json
	expect_status 2
}

case_bad_policy() {
	run --policy strict -- "$SUBJECT" exit 0
	expect_status 2
	[ "$(wc -l <"$T/err")" -eq 1 ] || fail "expected one line on stderr"
	expect_err "bad --policy 'strict'"
}

case_no_reports() {
	run -- "$SUBJECT" exit 3
	expect_status 3
	expect_summary "mapsan: no reports (1 process)"
	run "$SUBJECT" exit 0
	expect_status 0
	expect_summary "mapsan: no reports (1 process)"
}

case_reports() {
	FAKE_MAPSAN_REPORT=$REPORT run --no-symbolize -- "$SUBJECT" exit 0
	expect_status 66
	expect_summary "mapsan: 1 report in 1 process (1 ub, 0 unsupported, 0 warnings)"
	expect_err '^==[0-9]*==ERROR: mapsan: Undefined Behavior: partial-unmap: mapping has size 8192'
	expect_err 'in chunk_trim'
	expect_err '^SUMMARY: mapsan: partial-unmap'
	FAKE_MAPSAN_REPORT=$REPORT MAPSAN_OPTIONS=exitcode=23 run -- "$SUBJECT" exit 0
	expect_status 23
}

case_severity_counts() {
	two="$(echo "$REPORT" | sed 's/"partial-unmap","severity":"ub"/"map-flags","severity":"unsupported"/')
$(echo "$REPORT" | sed 's/"partial-unmap","severity":"ub"/"leak","severity":"warning"/')
$REPORT"
	FAKE_MAPSAN_REPORT=$two run -- "$SUBJECT" exit 0
	expect_status 66
	expect_summary "mapsan: 3 reports in 1 process (1 ub, 1 unsupported, 1 warning)"
}

case_env() {
	LD_PRELOAD="$FAKE_OTHER" MAPSAN_OPTIONS='exitcode=23:policy=native' \
		run --policy miri --keep-going -- "$SUBJECT" env
	expect_status 0
	grep -qx "LD_PRELOAD=$(realpath "$FAKE_RT"):$FAKE_OTHER" "$T/out" || fail "LD_PRELOAD order"
	opts=$(sed -n 's/^MAPSAN_OPTIONS=//p' "$T/out")
	case "$opts" in
	exitcode=23:policy=native:policy=miri:halt_on_error=0:log_format=json:log_path=*/report) ;;
	*) fail "MAPSAN_OPTIONS '$opts'" ;;
	esac
	run -- "$SUBJECT" env
	grep -qx "LD_PRELOAD=$(realpath "$FAKE_RT")" "$T/out" || fail "LD_PRELOAD alone"
	grep -q '^MAPSAN_OPTIONS=log_format=json:log_path=.*/report$' "$T/out" || fail "MAPSAN_OPTIONS alone"
}

case_runtime_beside() {
	mkdir -p "$T/inst/bin" "$T/inst/lib"
	cp "$MAPSAN" "$T/inst/bin/mapsan"
	cp "$FAKE_RT" "$T/inst/lib/libmapsan.so"
	unset MAPSAN_RUNTIME
	MAPSAN="$T/inst/bin/mapsan" run -- "$SUBJECT" env
	expect_status 0
	real=$(cd "$T/inst/lib" && pwd -P)
	grep -qx "LD_PRELOAD=$real/libmapsan.so" "$T/out" || fail "runtime beside the launcher"
	ln -s "$FAKE_RT" "$T/link.so"
	(cd "$T" && MAPSAN_RUNTIME=link.so "$MAPSAN" -- "$SUBJECT" env >"$T/out" 2>"$T/err") ||
		fail "relative MAPSAN_RUNTIME"
	grep -qx "LD_PRELOAD=$(realpath "$FAKE_RT")" "$T/out" || fail "MAPSAN_RUNTIME made absolute"
	MAPSAN_RUNTIME=$T/nonexistent.so run -- "$SUBJECT" exit 0
	expect_status 2
	expect_err 'MAPSAN_RUNTIME'
}

case_symbolize() {
	line=$(grep -n 'SUBJECT-CALL-SITE' "$SUBJECT_SRC" | cut -d: -f1)
	run --json "$T/r.json" -- "$SUBJECT" report
	expect_status 66
	expect_err "#0 0x[0-9a-f]* in subject_caller .*launcher_subject.c:$line\$"
	expect_err 'was created here'
	expect_err "SUMMARY: mapsan: partial-unmap in subject_caller .*launcher_subject.c:$line"
	"$PYTHON" - "$T/r.json" "$line" <<'PY' || fail "JSON frames not symbolized"
import json, sys
r = json.load(open(sys.argv[1]))[0]
f = r["stack"][0]
assert f["function"] == "subject_caller", f
assert f["file"].endswith("launcher_subject.c"), f
assert f["line"] == int(sys.argv[2]), f
assert r["origin_stack"][0]["function"] == "subject_caller"
PY
	run --no-symbolize -- "$SUBJECT" report
	expect_status 66
	expect_no_err 'launcher_subject.c:'
	expect_err 'in exported_name'
}

case_symbolize_nopie() {
	line=$(grep -n 'SUBJECT-CALL-SITE' "$SUBJECT_SRC" | cut -d: -f1)
	run -- "$SUBJECT_NOPIE" report
	expect_status 66
	expect_err "#0 0x4[0-9a-f]* in subject_caller .*launcher_subject.c:$line\$"
}

case_relative_path() {
	line=$(grep -n 'SUBJECT-CALL-SITE' "$SUBJECT_SRC" | cut -d: -f1)
	cd "$(dirname "$SUBJECT_SRC")" || fail "cd"
	run --sarif "$T/r.sarif" -- "$SUBJECT" report
	expect_status 66
	expect_err "#0 0x[0-9a-f]* in subject_caller launcher_subject.c:$line\$"
	grep -q '"uri": "launcher_subject.c"' "$T/r.sarif" || fail "SARIF uri not relative"
}

case_inlined() {
	inner=$(grep -n 'SUBJECT-INLINED-SITE' "$SUBJECT_SRC" | cut -d: -f1)
	outer=$(grep -n 'SUBJECT-INLINER-SITE' "$SUBJECT_SRC" | cut -d: -f1)
	run --json "$T/r.json" -- "$SUBJECT" inline
	expect_status 66
	expect_err "#0 0x[0-9a-f]* in inlined_step .*launcher_subject.c:$inner\$"
	expect_err "#1 0x[0-9a-f]* in subject_inline_caller .*launcher_subject.c:$outer\$"
	expect_err "SUMMARY: mapsan: partial-unmap in inlined_step "
	"$PYTHON" - "$T/r.json" <<'PY' || fail "inlined frames in --json"
import json, sys
r = json.load(open(sys.argv[1]))[0]
names = [f.get("function") for f in r["stack"]]
assert names == ["inlined_step", "subject_inline_caller"], names
assert r["stack"][0]["pc"] == r["stack"][1]["pc"]
PY
}

case_no_addr2line() {
	PATH=$T/empty run -- "$SUBJECT" report
	expect_status 66
	expect_no_err 'launcher_subject.c:'
	expect_summary "mapsan: 1 report in 1 process (1 ub, 0 unsupported, 0 warnings)"
}

case_outputs() {
	FAKE_MAPSAN_REPORT=$REPORT run --json "$T/r.json" --sarif="$T/r.sarif" --junit "$T/r.xml" -- "$SUBJECT" exit 0
	expect_status 66
	"$PYTHON" -m json.tool "$T/r.json" >/dev/null || fail "--json is not JSON"
	"$PYTHON" "$CHECK_PY" json "$T/r.json" partial-unmap 1 || fail "--json content"
	"$PYTHON" "$CHECK_PY" sarif "$T/r.sarif" partial-unmap 1 || fail "--sarif content"
	"$PYTHON" "$CHECK_PY" junit "$T/r.xml" partial-unmap 1 1 || fail "--junit content"
	run --json "$T/e.json" --sarif "$T/e.sarif" --junit "$T/e.xml" -- "$SUBJECT" exit 0
	expect_status 0
	"$PYTHON" "$CHECK_PY" json "$T/e.json" partial-unmap 0 || fail "empty --json"
	"$PYTHON" "$CHECK_PY" schema "$T/e.sarif" || fail "empty --sarif"
	"$PYTHON" "$CHECK_PY" junit "$T/e.xml" partial-unmap 0 1 || fail "empty --junit"
}

case_sarif_location() {
	line=$(grep -n 'SUBJECT-CALL-SITE' "$SUBJECT_SRC" | cut -d: -f1)
	run --sarif "$T/r.sarif" -- "$SUBJECT" report
	expect_status 66
	"$PYTHON" - "$T/r.sarif" "$line" <<'PY' || fail "SARIF location"
import json, sys
res = json.load(open(sys.argv[1]))["runs"][0]["results"][0]
loc = res["locations"][0]["physicalLocation"]
assert loc["artifactLocation"]["uri"].endswith("launcher_subject.c"), loc
assert loc["region"]["startLine"] == int(sys.argv[2]), loc
rel = res["relatedLocations"][0]
assert rel["id"] == 0, rel
assert rel["message"]["text"] == "the mapping was created here", rel
assert rel["physicalLocation"]["region"]["startLine"] == int(sys.argv[2]), rel
assert "location" not in rel, rel
PY
	"$PYTHON" "$CHECK_PY" sarif "$T/r.sarif" partial-unmap 1 || fail "SARIF schema"
}

case_static_warning() {
	[ -n "$STATIC_SUBJECT" ] || { echo "static linking unavailable: skipped"; exit 77; }
	run -- "$STATIC_SUBJECT"
	expect_status 7
	expect_err 'warning: .*static_subject is statically linked'
	run -- "$SUBJECT" exit 0
	expect_no_err 'warning'
}

case_setuid_warning() {
	cp "$SUBJECT" "$T/suid_subject"
	chmod u+s "$T/suid_subject" || { echo "chmod u+s failed: skipped"; exit 77; }
	run -- "$T/suid_subject" exit 4
	expect_status 4
	expect_err 'warning: .*suid_subject is setuid'
}

case_killed() {
	run -- "$SUBJECT" signal 9
	expect_status 137
	expect_err 'killed by signal 9'
	FAKE_MAPSAN_REPORT=$REPORT run -- "$SUBJECT" signal 15
	expect_status 66
}

case_ignored_signal() {
	# nohup's contract: a SIGHUP ignored before mapsan is ignored by the command.
	(trap '' HUP; exec "$MAPSAN" -- "$SUBJECT" wait "$T/ready" >"$T/out" 2>"$T/err") &
	pid=$!
	wait_ready
	child=$(cat "$T/ready")
	kill -HUP "$child"
	kill -HUP "$pid"
	sleep 0.2
	kill -0 "$child" 2>/dev/null || fail "the command died of an ignored SIGHUP"
	kill -TERM "$pid"
	wait $pid
	status=$?
	expect_status 143
}

wait_ready() {
	i=0
	while [ ! -e "$T/ready" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
	[ -e "$T/ready" ] || { kill -9 $pid; fail "subject never started"; }
}

case_forward_signal() {
	"$MAPSAN" -- "$SUBJECT" wait "$T/ready" >"$T/out" 2>"$T/err" &
	pid=$!
	wait_ready
	kill -TERM $pid
	wait $pid
	status=$?
	expect_status 143
	expect_err 'killed by signal 15'
}

case_fork() {
	run --junit "$T/r.xml" -- "$SUBJECT" fork 3
	expect_status 66
	expect_summary "mapsan: 3 reports in 4 processes (3 ub, 0 unsupported, 0 warnings)"
	[ "$(grep -c '^==[0-9]*==ERROR' "$T/err")" -eq 3 ] || fail "three reports"
	grep '^==[0-9]*==ERROR' "$T/err" | sed 's/==\([0-9]*\)==.*/\1/' >"$T/pids"
	sort -n "$T/pids" | cmp -s - "$T/pids" || fail "reports not in pid order"
	[ "$(sort -u "$T/pids" | wc -l)" -eq 3 ] || fail "three distinct pids"
	"$PYTHON" "$CHECK_PY" junit "$T/r.xml" partial-unmap 3 4 || fail "--junit of four processes"
}

# The runtime creates DIR/report.PID at every process's start-up: each is a
# process of the run, and a JUnit test case, even when it is empty.
case_empty_logs() {
	FAKE_MAPSAN_TOUCH=all run --junit "$T/r.xml" -- "$SUBJECT" forkclean 3
	expect_status 0
	expect_summary "mapsan: no reports (4 processes)"
	"$PYTHON" "$CHECK_PY" junit "$T/r.xml" partial-unmap 0 4 || fail "--junit of four clean processes"
	# The command's own file lost: it is still a process.
	FAKE_MAPSAN_TOUCH=children run --junit "$T/r.xml" -- "$SUBJECT" forkclean 2
	expect_status 0
	expect_summary "mapsan: no reports (3 processes)"
	"$PYTHON" "$CHECK_PY" junit "$T/r.xml" partial-unmap 0 3 || fail "--junit without the command's file"
	FAKE_MAPSAN_TOUCH=all FAKE_MAPSAN_REPORT=$REPORT run --junit "$T/r.xml" -- "$SUBJECT" forkclean 2
	expect_status 66
	expect_summary "mapsan: 1 report in 3 processes (1 ub, 0 unsupported, 0 warnings)"
	"$PYTHON" "$CHECK_PY" junit "$T/r.xml" partial-unmap 1 3 || fail "--junit of one failing, two clean"
	FAKE_MAPSAN_TOUCH=all run --junit "$T/r.xml" -- "$SUBJECT" fork 2
	expect_status 66
	expect_summary "mapsan: 2 reports in 3 processes (2 ub, 0 unsupported, 0 warnings)"
	"$PYTHON" "$CHECK_PY" junit "$T/r.xml" partial-unmap 2 3 || fail "--junit of two failing children"
	# Unreadable (here: a dangling link where the file should be) is no
	# reason to lose the process.
	FAKE_MAPSAN_TOUCH=dangling run --junit "$T/r.xml" -- "$SUBJECT" forkclean 2
	expect_status 0
	expect_summary "mapsan: no reports (3 processes)"
}

# A library without .symtab or debug info: addr2line names an address in a
# static function after the exported function before it, which is wrong.
case_stripped() {
	[ -n "$STRIPPED_LIB" ] || { echo "strip or nm unavailable: skipped"; exit 77; }
	helper=$("$NM" "$STRIPPED_FULL" | awk '$3 == "stripped_helper" { print $1 }')
	exported=$("$NM" "$STRIPPED_FULL" | awk '$3 == "stripped_exported" { print $1 }')
	[ -n "$helper" ] && [ -n "$exported" ] || fail "nm found no stripped_helper/stripped_exported"
	[ $((0x$helper)) -gt $((0x$exported)) ] || fail "stripped_helper is not after stripped_exported"
	off=$(printf '0x%x' $((0x$helper + 16)))
	# The premise: without this guess the case would test nothing.
	printf '%s\n' "$off" | addr2line -f -e "$STRIPPED_LIB" | head -n 1 | grep -qx stripped_exported ||
		fail "addr2line no longer guesses stripped_exported"
	lib=$STRIPPED_LIB
	report='{"kind":"partial-unmap","severity":"ub","call":"munmap","args":["0x7f3a2c000000","0x1000"],"pid":@PID@,"message":"mapping has size 8192, but munmap gave size 4096","mapping":{"base":"0x7f3a2c000000","size":8192},"stack":[{"pc":"0x7f0000001000","module":"'$lib'","offset":"'$off'"}],"origin_stack":[{"pc":"0x7f0000001000","module":"'$lib'","offset":"'$off'","function":"stripped_helper"}]}'
	FAKE_MAPSAN_REPORT=$report run --json "$T/r.json" -- "$SUBJECT" exit 0
	expect_status 66
	expect_no_err 'stripped_exported'
	expect_err "#0 0x7f0000001000 ($lib+$off)\$"
	expect_err "#0 0x7f0000001000 in stripped_helper ($lib+$off)\$"
	"$PYTHON" - "$T/r.json" <<'PY' || fail "JSON frames of the stripped library"
import json, sys
r = json.load(open(sys.argv[1]))[0]
assert "function" not in r["stack"][0], r["stack"][0]
assert r["origin_stack"][0]["function"] == "stripped_helper", r["origin_stack"][0]
PY
}

case_bad_lines() {
	FAKE_MAPSAN_REPORT='not json at all
{"kind":"future-kind","severity":"warning","call":"mmap","args":[],"pid":@PID@,"message":"from a newer runtime","stack":[]}' \
		run --json "$T/r.json" -- "$SUBJECT" exit 0
	expect_status 66
	expect_err 'not a report, skipped'
	expect_err 'future-kind: from a newer runtime'
	expect_summary "mapsan: 1 report in 1 process (0 ub, 0 unsupported, 1 warning)"
	"$PYTHON" "$CHECK_PY" json "$T/r.json" future-kind 1 || fail "raw report in --json"
}

case_cleanup() {
	mkdir "$T/tmp"
	FAKE_MAPSAN_REPORT=$REPORT TMPDIR=$T/tmp run -- "$SUBJECT" report
	expect_status 66
	[ -z "$(ls -A "$T/tmp")" ] || fail "report directory left behind: $(ls -A "$T/tmp")"
}

case_exec_failure() {
	run -- "$T/no-such-command"
	expect_status 127
	expect_err 'no-such-command: No such file or directory'
	expect_summary "mapsan: no reports (1 process)"
}

"case_$1"
