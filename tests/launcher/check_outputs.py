"""Checks the launcher's --json, --sarif and --junit files.

usage: check_outputs.py json|sarif|junit|schema FILE [EXPECTED_KIND [REPORTS [PROCESSES]]]
With SCHEMA set in the environment, the SARIF file must also conform to it.
"""
import json
import os
import sys
import xml.etree.ElementTree as ET


def fail(msg):
    sys.exit("check_outputs: " + msg)


def check(cond, msg):
    if not cond:
        fail(msg)


def check_json(path, kind, reports):
    with open(path) as f:
        data = json.load(f)
    check(isinstance(data, list), "top level is not an array")
    check(len(data) == reports, "expected %d reports, got %d" % (reports, len(data)))
    for r in data:
        for key in ("kind", "severity", "call", "args", "pid", "message", "stack"):
            check(key in r, "report lacks %r: %r" % (key, r))
        check(r["kind"] == kind, "kind %r, expected %r" % (r["kind"], kind))
        check(isinstance(r["pid"], int) and r["pid"] > 0, "bad pid")
        for frame in r["stack"]:
            for key in ("pc", "module", "offset"):
                check(key in frame, "frame lacks %r" % key)


def check_schema(log):
    schema_path = os.environ.get("SCHEMA")
    if not schema_path:
        return
    sys.path.insert(0, os.path.dirname(schema_path))
    from schema_check import Checker
    with open(schema_path) as f:
        schema = json.load(f)
    errors = Checker(schema).errors(log, schema)
    check(not errors, "SARIF does not conform to 2.1.0:\n  " + "\n  ".join(errors[:20]))


def check_sarif(path, kind, reports):
    with open(path) as f:
        log = json.load(f)
    check_schema(log)
    check(log.get("version") == "2.1.0", "version is not 2.1.0")
    check("sarif" in log.get("$schema", ""), "no $schema")
    check(len(log["runs"]) == 1, "expected one run")
    run = log["runs"][0]
    driver = run["tool"]["driver"]
    check(driver["name"] == "mapsan", "driver name")
    check(driver.get("version"), "driver version")
    rules = [r["id"] for r in driver["rules"]]
    check(rules == [kind], "rules %r" % rules)
    check(driver["rules"][0]["shortDescription"]["text"], "rule description")
    results = run["results"]
    check(len(results) == reports, "expected %d results, got %d" % (reports, len(results)))
    for res in results:
        check(res["ruleId"] == kind, "ruleId %r" % res["ruleId"])
        check(res["ruleIndex"] == 0, "ruleIndex")
        check(res["level"] in ("error", "warning"), "level")
        check(res["message"]["text"], "message")
        loc = res["locations"][0]["physicalLocation"]
        check(loc["artifactLocation"]["uri"], "uri")


def check_junit(path, kind, reports, processes):
    root = ET.parse(path).getroot()
    suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
    check(len(suites) == 1 and suites[0].get("name") == "mapsan", "one testsuite mapsan")
    cases = suites[0].findall("testcase")
    check(len(cases) == processes, "expected %d testcases, got %d" % (processes, len(cases)))
    failures = [f for c in cases for f in c.findall("failure")]
    check(len(failures) == reports, "expected %d failures, got %d" % (reports, len(failures)))
    for f in failures:
        check(f.get("type") == kind, "failure type %r" % f.get("type"))
        check("SUMMARY: mapsan:" in (f.text or ""), "failure lacks the text report")


def main():
    what, path = sys.argv[1], sys.argv[2]
    kind = sys.argv[3] if len(sys.argv) > 3 else "partial-unmap"
    reports = int(sys.argv[4]) if len(sys.argv) > 4 else 1
    processes = int(sys.argv[5]) if len(sys.argv) > 5 else 1
    if what == "json":
        check_json(path, kind, reports)
    elif what == "sarif":
        check_sarif(path, kind, reports)
    elif what == "schema":
        check(os.environ.get("SCHEMA"), "SCHEMA is not set")
        with open(path) as f:
            check_schema(json.load(f))
    elif what == "junit":
        check_junit(path, kind, reports, processes)
    else:
        fail("unknown check " + what)


main()
