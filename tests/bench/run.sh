#!/bin/sh
# Native-versus-mapsan benchmark table: tests/bench/run.sh [BUILD_DIR] [--quick]
# BUILD_DIR (default ./build) must hold bin/bench_churn, bin/bench_model and
# lib/libmapsan.so; nothing is built here.
exec python3 "$(dirname "$0")/run.py" "$@"
