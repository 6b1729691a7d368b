"""Checks the launcher's --json reports of a Rust run.

usage: check_reports.py JSON COUNT [KIND] [--at FILE:MARKER] [--only-in SUBSTR]
  COUNT        exact number of reports ("1+" for at least one)
  KIND         every report has this kind
  --at         the report's innermost frame is FILE at the line holding MARKER
  --only-in    every report has a frame whose function contains SUBSTR
               (several SUBSTRs separated by "|": any of them)
"""
import json
import os
import sys


def fail(msg):
    sys.exit("check_reports: " + msg)


def marker_line(path, marker):
    with open(path) as f:
        for n, line in enumerate(f, 1):
            if marker in line:
                return n
    fail("marker %r not in %s" % (marker, path))


def main(argv):
    args = argv[1:]
    opts = {}
    while len(args) >= 2 and args[-2].startswith("--"):
        opts[args[-2]] = args[-1]
        args = args[:-2]
    with open(args[0]) as f:
        reports = json.load(f)
    count = args[1]
    if count.endswith("+"):
        if len(reports) < int(count[:-1]):
            fail("expected at least %s reports, got %d" % (count[:-1], len(reports)))
    elif len(reports) != int(count):
        fail("expected %s reports, got %d: %r" % (count, len(reports), [r["kind"] for r in reports]))
    for r in reports:
        if len(args) > 2 and r["kind"] != args[2]:
            fail("kind %r, expected %r" % (r["kind"], args[2]))
        names = [fr.get("function", "") for fr in r["stack"]]
        wanted = opts.get("--only-in", "").split("|")
        if "--only-in" in opts and not any(w in n for w in wanted for n in names):
            fail("a %s report outside %s: %r" % (r["kind"], opts["--only-in"], names[:4]))
        if "--at" in opts:
            path, marker = opts["--at"].split(":", 1)
            top = r["stack"][0]
            want = marker_line(path, marker)
            if os.path.basename(top.get("file", "")) != os.path.basename(path) or top.get("line") != want:
                fail("innermost frame %s:%s, expected %s:%d" % (top.get("file"), top.get("line"), path, want))
    print("check_reports: %d report(s) ok" % len(reports))


if __name__ == "__main__":
    main(sys.argv)
