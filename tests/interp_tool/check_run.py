"""check_run.py TOOL RUNTIME SCRIPT CLEAN_SCRIPT: `run` calls a library's
functions through libffi, natively; under libmapsan.so the library's partial
munmap is reported from inside the library, and the clean use is not."""
import json
import os
import subprocess
import sys

tool, runtime, script, clean = sys.argv[1:5]
env = dict(os.environ, LD_PRELOAD=runtime, MAPSAN_OPTIONS="log_format=json")


def fail(msg):
    print(msg)
    sys.exit(1)


# Without the runtime the calls just run.
bare = subprocess.run([tool, "run", script], capture_output=True, text=True)
if bare.returncode != 0 or bare.stderr:
    fail(f"bare run: exit {bare.returncode}: {bare.stderr}")

live = subprocess.run([tool, "run", script], capture_output=True, text=True, env=env)
reports = [json.loads(l) for l in live.stderr.splitlines() if l.startswith("{")]
if live.returncode != 66 or [r["kind"] for r in reports] != ["partial-unmap"]:
    fail(f"live run: exit {live.returncode}: {live.stderr}")
frames = [f.get("function") for f in reports[0]["stack"]]
if "tiny_trim" not in frames:
    fail(f"the report's stack does not go through tiny_trim: {frames}")

ok = subprocess.run([tool, "run", clean], capture_output=True, text=True, env=env)
if ok.returncode != 0 or ok.stderr:
    fail(f"clean run: exit {ok.returncode}: {ok.stderr}")
