"""check_live.py TOOL RUNTIME TRACE...: a script of mmap-family lines gives
the same reports run live under libmapsan.so as replayed on the model."""
import json
import os
import subprocess
import sys

tool, runtime, traces = sys.argv[1], sys.argv[2], sys.argv[3:]


def kinds(lines):
    return [json.loads(l)["kind"] for l in lines.splitlines() if l.startswith("{")]


failed = False
for trace in traces:
    replay = subprocess.run([tool, "replay", "--json", trace], capture_output=True, text=True)
    env = dict(os.environ, LD_PRELOAD=runtime, MAPSAN_OPTIONS="log_format=json")
    live = subprocess.run([tool, "run", trace], capture_output=True, text=True, env=env)
    want, got = kinds(replay.stdout), kinds(live.stderr)
    if (replay.returncode, want) != (live.returncode, got):
        print(f"{trace}: replay exit {replay.returncode} {want}, live exit {live.returncode} {got}")
        print(live.stderr)
        failed = True
sys.exit(1 if failed else 0)
