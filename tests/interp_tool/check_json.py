"""check_json.py TOOL SCRIPT...: every line of replay --json is one JSON
object with the runtime's fields, and the kinds are those the script's
expect lines name, in order."""
import json
import subprocess
import sys

tool, scripts = sys.argv[1], sys.argv[2:]
FIELDS = {"kind", "severity", "call", "args", "pid", "message", "stack"}
SEVERITY = {"ub", "unsupported", "warning"}
failed = False
for script in scripts:
    with open(script) as f:
        expected = [l.split()[1] for l in f if l.startswith("expect ") and l.split()[1] != "clean"]
    proc = subprocess.run([tool, "replay", "--json", script], capture_output=True, text=True)
    kinds = []
    for line in proc.stdout.splitlines():
        report = json.loads(line)
        missing = FIELDS - report.keys()
        if missing or report["severity"] not in SEVERITY or report["pid"] != 0:
            print(f"{script}: bad report {line}: missing {missing}")
            failed = True
        kinds.append(report["kind"])
    if proc.returncode != 0 or kinds != expected:
        print(f"{script}: exit {proc.returncode}, kinds {kinds}, want {expected}")
        failed = True
sys.exit(1 if failed else 0)
