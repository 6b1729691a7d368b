#!/bin/sh
# One Rust case under the launcher. Environment: MAPSAN, PYTHON, CHECK, SRC,
# BIN (the directory of the built programs), CARGO (may be empty).
set -eu
case=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

expect_status() {
	if [ "$1" -ne "$2" ]; then
		cat "$dir/err" >&2
		echo "FAIL: $3 exited $1, expected $2" >&2
		exit 1
	fi
}

case $case in
clean_miri)
	# The same output as without mapsan, and not one report.
	status=0
	RUST_BACKTRACE=1 "$BIN/rust_clean" >"$dir/native" 2>/dev/null || status=$?
	expect_status $status 0 "rust_clean natively"
	status=0
	RUST_BACKTRACE=1 "$MAPSAN" --policy miri --json "$dir/r.json" -- "$BIN/rust_clean" >"$dir/out" 2>"$dir/err" || status=$?
	expect_status $status 0 "rust_clean under mapsan"
	cmp "$dir/native" "$dir/out"
	grep -q "expected panic" "$dir/err"
	exec "$PYTHON" "$CHECK" "$dir/r.json" 0
	;;
std_symbols)
	# Without the built-in suppressions, each of Rust std's signal stacks
	# shows up (an mmap with MAP_STACK, an mprotect(PROT_NONE) guard), and
	# so does the panic message's read of the binary's own debug info; every
	# report lies in one of the two places the built-in table names.
	status=0
	MAPSAN_OPTIONS=default_suppressions=0 "$MAPSAN" --keep-going --json "$dir/r.json" -- "$BIN/rust_clean" >"$dir/out" 2>"$dir/err" || status=$?
	expect_status $status 66 "rust_clean without default suppressions"
	"$PYTHON" "$CHECK" "$dir/r.json" 2+ --only-in "std::sys::pal::unix::stack_overflow::imp::|std::sys::unix::stack_overflow::imp::|std::backtrace_rs::symbolize::gimli"
	grep -q "map-flags" "$dir/err" && grep -q "protection" "$dir/err"
	;;
harness_keep_going)
	# Every test runs to the end; exactly one report, at the .rs line.
	status=0
	"$MAPSAN" --keep-going --json "$dir/r.json" -- "$BIN/rust_harness" --test-threads=4 >"$dir/out" 2>"$dir/err" || status=$?
	expect_status $status 66 "rust_harness"
	grep -q "test result: ok. 4 passed" "$dir/out"
	grep -q "SUMMARY: mapsan: partial-unmap in harness::tests::trims_tail .*harness.rs:" "$dir/err"
	exec "$PYTHON" "$CHECK" "$dir/r.json" 1 partial-unmap --at "$SRC/harness.rs:MAPSAN-PARTIAL-UNMAP"
	;;
harness_halt)
	# Miri-like: the run stops at the report, with mapsan's exit status.
	status=0
	"$MAPSAN" --json "$dir/r.json" -- "$BIN/rust_harness" --test-threads=4 >"$dir/out" 2>"$dir/err" || status=$?
	expect_status $status 66 "rust_harness"
	exec "$PYTHON" "$CHECK" "$dir/r.json" 1 partial-unmap --at "$SRC/harness.rs:MAPSAN-PARTIAL-UNMAP"
	;;
cargo_runner)
	# cargo test with the launcher as the target runner, offline, in a copy
	# of the crate so that the source tree gets no Cargo.lock.
	[ -n "$CARGO" ] || { echo "cargo not found: skipped"; exit 77; }
	cp -R "$SRC/crate" "$dir/crate"
	export CARGO_TARGET_DIR="$dir/target"
	export CARGO_TARGET_X86_64_UNKNOWN_LINUX_GNU_RUNNER="$MAPSAN --"
	unset MAKEFLAGS MFLAGS
	status=0
	"$CARGO" test --offline --manifest-path "$dir/crate/Cargo.toml" >"$dir/out" 2>"$dir/err" || status=$?
	expect_status $status 0 "cargo test"
	grep -q "test tests::runs_under_mapsan ... ok" "$dir/out"
	grep -q "mapsan: no reports" "$dir/err"
	status=0
	MAPSAN_CARGO_BUG=1 "$CARGO" test --offline --manifest-path "$dir/crate/Cargo.toml" >"$dir/out" 2>"$dir/err" || status=$?
	[ $status -ne 0 ] || { echo "FAIL: cargo test passed with a partial munmap" >&2; exit 1; }
	grep -q "SUMMARY: mapsan: partial-unmap in mapsan_cargo_runner::map_then_free src/lib.rs:" "$dir/err"
	grep -q "exit status: 66" "$dir/err"
	;;
*)
	echo "unknown case $case" >&2
	exit 2
	;;
esac
