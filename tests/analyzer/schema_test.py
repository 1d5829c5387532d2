#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Validates enoscope's machine-readable output against the schemas in
docs/schema/: every record of every capture, of runs with errors, of rule
selections, of `rules` and of `merge` against the JSON Schema
(enoscope.schema.json, with Debian's python3-jsonschema), and the JUnit
reports against junit.xsd (with xmllint from libxml2-utils).  The json
check also asserts that the man page documents every member the schema
names.  Exits 77 (skipped) when the validator is not installed.

usage: schema_test.py json|junit ENOSCOPE REPO-ROOT SCRATCH-DIR
"""
import glob
import json
import os
import re
import shutil
import subprocess
import sys


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def run(enoscope, *args, stdin=None):
    env = dict(os.environ, SOURCE_DATE_EPOCH="1700000000")
    return subprocess.run([enoscope] + list(args), stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, input=stdin, env=env, timeout=600)


def captures(root):
    found = glob.glob(os.path.join(root, "captures", "**", "*.pcap"), recursive=True)
    found += glob.glob(os.path.join(root, "captures", "**", "*.pcapng"), recursive=True)
    return sorted(found)


def broken_inputs(scratch, root):
    """A missing file and a capture cut in the middle of a record."""
    src = os.path.join(root, "captures", "rules", "ack.missing.pcap")
    with open(src, "rb") as f:
        data = f.read()
    cut = os.path.join(scratch, "cut.pcap")
    with open(cut, "wb") as f:
        f.write(data[:-10])
    return [os.path.join(scratch, "missing.pcap"), cut]


def schema_names(node, out):
    """Every member name the schema gives properties for."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "properties":
                out.update(value)
            schema_names(value, out)
    elif isinstance(node, list):
        for value in node:
            schema_names(value, out)
    return out


def json_check(enoscope, root, scratch):
    try:
        import jsonschema
    except ImportError:
        print("SKIP: python3-jsonschema is not installed (scripts/setup-debian installs it)")
        sys.exit(77)
    with open(os.path.join(root, "docs", "schema", "enoscope.schema.json")) as f:
        schema = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    seen_types = set()

    def validate(what, text, expect_summary=True):
        lines = text.decode("utf-8").splitlines()
        if expect_summary and (not lines or json.loads(lines[-1])["type"] != "summary"):
            fail("%s: the output does not end with a summary" % what)
        for no, line in enumerate(lines, 1):
            obj = json.loads(line)
            errors = sorted(validator.iter_errors(obj), key=lambda e: list(e.path))
            if errors:
                fail("%s, line %d: %s\n%s" % (what, no, errors[0].message, line[:2000]))
            seen_types.add(obj["type"])
        return lines

    runs = []
    caps = captures(root)
    if len(caps) < 100:
        fail("found only %d captures under %s" % (len(caps), root))
    for cap in caps:
        r = run(enoscope, "check", "--no-config", "--format", "json", "--fail-on", "none", cap)
        if r.returncode != 0:
            fail("%s: exit %d: %s" % (cap, r.returncode, r.stderr.decode()[-500:]))
        validate(cap, r.stdout)
        runs.append(r.stdout)
    # Selections, re-grading, and every --connections choice over the whole corpus.
    for args in (["--connections", "findings", "--ignore", "syntax,role",
                  "--severity", "ack.missing=note"],
                 ["--connections", "eno", "--select", "ack,tep"], ["-q"]):
        r = run(enoscope, "check", "--no-config", "--format", "json", "--fail-on", "none",
                *args, os.path.join(root, "captures"))
        if r.returncode != 0:
            fail("%s: exit %d: %s" % (args, r.returncode, r.stderr.decode()[-500:]))
        validate(" ".join(args), r.stdout)
    # Inputs that fail: the summary lists them.
    r = run(enoscope, "check", "--no-config", "--format", "json", *broken_inputs(scratch, root))
    if r.returncode != 2:
        fail("broken inputs: exit %d, expected 2" % r.returncode)
    summary = json.loads(validate("broken inputs", r.stdout)[-1])
    if [i["status"] for i in summary["inputs"]] != ["error", "error"]:
        fail("broken inputs: %r" % summary["inputs"])
    # The rule catalog, and merges of everything above.
    r = run(enoscope, "rules", "--format", "json")
    validate("rules", r.stdout, expect_summary=False)
    r = run(enoscope, "merge", "--format", "json", "--fail-on", "none", "-",
            stdin=b"".join(runs))
    if r.returncode != 0:
        fail("merge: exit %d: %s" % (r.returncode, r.stderr.decode()))
    merged = validate("merge", r.stdout)
    if json.loads(merged[0])["runs"] != len(runs):
        fail("merge counted %s runs, expected %d" % (json.loads(merged[0])["runs"], len(runs)))
    if seen_types != {"connection", "summary", "rule"}:
        fail("record types seen: %s" % sorted(seen_types))

    # The man page documents every member.
    with open(os.path.join(root, "analyzer", "enoscope.1"), encoding="utf-8") as f:
        man = f.read().replace("\\-", "-").replace("\\fB", "").replace("\\fR", "")
    missing = sorted(n for n in schema_names(schema, set())
                     if not re.search(r'(^\.B[IR]* |" ?)%s\b' % re.escape(n), man, re.M))
    if missing:
        fail("the man page does not document these JSON members: %s" % ", ".join(missing))
    print("ok: %d captures, %d record types, man page complete" % (len(caps), len(seen_types)))


def junit_check(enoscope, root, scratch):
    xmllint = shutil.which("xmllint")
    if not xmllint:
        print("SKIP: xmllint is not installed (libxml2-utils; scripts/setup-debian installs it)")
        sys.exit(77)
    xsd = os.path.join(root, "docs", "schema", "junit.xsd")
    checked = 0

    def validate(what, args, code):
        nonlocal checked
        out = os.path.join(scratch, "report-%d.xml" % checked)
        r = run(enoscope, "check", "--no-config", "--format", "junit", "-o", out, *args)
        if r.returncode != code:
            fail("%s: exit %d, expected %d: %s" % (what, r.returncode, code, r.stderr.decode()))
        v = subprocess.run([xmllint, "--noout", "--schema", xsd, out], stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT)
        if v.returncode != 0:
            fail("%s: the report is not valid against junit.xsd:\n%s" % (what,
                                                                        v.stdout.decode()))
        checked += 1
        with open(out, "rb") as f:
            return f.read().decode("utf-8")

    corpus = os.path.join(root, "captures")
    text = validate("the corpus", ["--fail-on", "note", "--connections", "all", corpus], 1)
    if text.count("<testsuite ") != len(captures(root)):
        fail("the corpus: %d testsuites for %d captures" % (text.count("<testsuite "),
                                                           len(captures(root))))
    validate("the corpus, default", [corpus], 1)
    validate("broken inputs", broken_inputs(scratch, root), 2)
    # A file name that is not UTF-8 and holds markup still gives valid XML.
    odd = os.path.join(scratch.encode(), b"a<b>&\"c\xff.pcap")
    shutil.copy(os.path.join(root, "captures", "rules", "ack.missing.pcap"), odd)
    validate("an odd file name", [os.fsdecode(odd)], 1)
    print("ok: %d JUnit reports valid" % checked)


def main():
    if len(sys.argv) != 5 or sys.argv[1] not in ("json", "junit"):
        print(__doc__, file=sys.stderr)
        return 2
    kind, enoscope, root, scratch = sys.argv[1:]
    shutil.rmtree(scratch, ignore_errors=True)
    os.makedirs(scratch)
    (json_check if kind == "json" else junit_check)(enoscope, root, scratch)
    return 0


if __name__ == "__main__":
    sys.exit(main())
