"""Checks the launcher's --sarif file against the SARIF 2.1.0 schema and its
--junit file for well-formedness and one test case per process.

usage: check_ci_formats.py SCHEMA SARIF JUNIT PROCESSES [KIND=COUNT ...]
"""
import copy
import json
import sys
import xml.etree.ElementTree as ET

from schema_check import Checker


def fail(msg):
    sys.exit("check_ci_formats: " + msg)


def schema_errors(schema, doc):
    errors = Checker(schema).errors(doc, schema)
    try:
        import jsonschema
    except ImportError:
        return errors
    validator = jsonschema.Draft4Validator(schema)
    ref = ["%s: %s" % (list(e.absolute_path), e.message) for e in validator.iter_errors(doc)]
    if bool(ref) != bool(errors):
        fail("the two validators disagree: jsonschema %r, built-in %r" % (ref[:3], errors[:3]))
    return errors + ref


def check_validator_bites(schema, doc):
    """A checker that accepts anything would make the test vacuous."""
    broken = copy.deepcopy(doc)
    broken["runs"][0]["tool"]["driver"]["unexpected"] = 1
    del broken["version"]
    if not schema_errors(schema, broken):
        fail("a SARIF log without version and with a stray property validated")


def check_sarif(schema_path, sarif_path, expected):
    with open(schema_path) as f:
        schema = json.load(f)
    with open(sarif_path) as f:
        doc = json.load(f)
    errors = schema_errors(schema, doc)
    if errors:
        fail("%s does not conform to SARIF 2.1.0:\n  %s" % (sarif_path, "\n  ".join(errors[:20])))
    check_validator_bites(schema, doc)
    results = doc["runs"][0]["results"]
    counts = {}
    for r in results:
        counts[r["ruleId"]] = counts.get(r["ruleId"], 0) + 1
    if counts != expected:
        fail("SARIF results by rule %r, expected %r" % (counts, expected))
    rules = [r["id"] for r in doc["runs"][0]["tool"]["driver"].get("rules", [])]
    for r in results:
        if "ruleIndex" in r and rules[r["ruleIndex"]] != r["ruleId"]:
            fail("ruleIndex %d does not name %s" % (r["ruleIndex"], r["ruleId"]))


def check_junit(path, processes, expected):
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as e:
        fail("%s is not well-formed XML: %s" % (path, e))
    suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
    if root.tag not in ("testsuite", "testsuites") or not suites:
        fail("no testsuite element")
    cases = [c for s in suites for c in s.findall("testcase")]
    if len(cases) != processes:
        fail("%d test cases, expected one per process (%d): %r"
             % (len(cases), processes, [c.get("name") for c in cases]))
    failures = [f for c in cases for f in c.findall("failure")]
    if len(failures) != sum(expected.values()):
        fail("%d failures, expected %d" % (len(failures), sum(expected.values())))
    for s in suites:
        n = len(s.findall("testcase"))
        if int(s.get("tests", -1)) != n:
            fail("testsuite tests=%s but %d test cases" % (s.get("tests"), n))
        failed = sum(1 for c in s.findall("testcase") if c.find("failure") is not None)
        if int(s.get("failures", -1)) != failed:
            fail("testsuite failures=%s but %d failing cases" % (s.get("failures"), failed))


def main(argv):
    if len(argv) < 5:
        fail(__doc__)
    expected = {}
    for pair in argv[5:]:
        kind, count = pair.split("=")
        expected[kind] = int(count)
    check_sarif(argv[1], argv[2], expected)
    check_junit(argv[3], int(argv[4]), expected)
    print("check_ci_formats: ok")


if __name__ == "__main__":
    main(sys.argv)
