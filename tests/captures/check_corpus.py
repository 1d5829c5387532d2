#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Checks the expectation lines of the capture corpus.

usage: check_corpus.py CAPTURES_DIR RULES_DEF

- every capture has a scenario (NAME.scn) or an expectation file (NAME.expect);
- expectation lines are well formed, name known rules, statuses and reasons,
  and describe every connection (one expect line per expect-connections);
- every rule of the catalog has a capture that triggers it (rules/ID.scn
  lists it) and one that nearly does (rules/ID-near.scn does not list it).
"""
import os
import re
import sys

STATUSES = {"encrypted", "disabled", "no-eno", "incomplete"}
REASONS = {"peer-no-eno", "role-conflict", "no-common-tep", "ack-missing-eno", "invalid-option"}


def rule_ids(rules_def):
    text = open(rules_def, encoding="utf-8").read()
    return re.findall(r'^ENO_RULE\(\w+,\s*"([a-z_.]+)"', text, re.M)


def parse_expectations(path, rules, errors):
    """Returns ({first_frame: set of rule ids}, connections) for one file."""
    conns, count = {}, None
    for n, raw in enumerate(open(path, encoding="utf-8"), 1):
        line = raw.strip()
        where = f"{path}:{n}"
        if line.startswith("expect-connections"):
            m = re.fullmatch(r"expect-connections (\d+)", line)
            if not m or count is not None:
                errors.append(f"{where}: bad or repeated expect-connections")
                continue
            count = int(m.group(1))
            continue
        if not line.startswith("expect "):
            continue
        m = re.fullmatch(r"expect (\d+) status=(\S+)( reason=\S+)?( tep=\S+)? findings=(\S+)", line)
        if not m:
            errors.append(f"{where}: malformed expect line")
            continue
        frame, status, reason, tep, findings = m.groups()
        if status not in STATUSES:
            errors.append(f"{where}: unknown status {status}")
        if (status == "disabled") != (reason is not None):
            errors.append(f"{where}: a reason is given with, and only with, status=disabled")
        if reason and reason[len(" reason="):] not in REASONS:
            errors.append(f"{where}: unknown reason {reason}")
        if tep and not re.fullmatch(r" tep=(0x[0-9a-f]{2}|none)", tep):
            errors.append(f"{where}: tep is 0xNN or none")
        ids = set()
        if findings != "none":
            for item in findings.split(","):
                rid, _, at = item.partition("@")
                if rid not in rules:
                    errors.append(f"{where}: unknown rule {rid}")
                if at and not at.isdigit():
                    errors.append(f"{where}: bad frame in {item}")
                ids.add(rid)
        if int(frame) in conns:
            errors.append(f"{where}: connection {frame} described twice")
        conns[int(frame)] = ids
    if count is None:
        errors.append(f"{path}: no expect-connections line")
    elif count != len(conns):
        errors.append(f"{path}: expect-connections {count} but {len(conns)} expect lines")
    return conns, count


def main():
    captures, rules_def = sys.argv[1], sys.argv[2]
    rules = rule_ids(rules_def)
    if len(rules) < 20:
        sys.exit(f"only {len(rules)} rules found in {rules_def}")
    errors, described = [], {}
    for root, _, files in os.walk(captures):
        for f in sorted(files):
            path = os.path.join(root, f)
            if f.endswith((".scn", ".expect")):
                described[path] = parse_expectations(path, set(rules), errors)
            elif f.endswith((".pcap", ".pcapng")):
                stem = os.path.join(root, f.rsplit(".", 1)[0])
                if not (os.path.exists(stem + ".scn") or os.path.exists(stem + ".expect")):
                    errors.append(f"{path}: no NAME.scn or NAME.expect states its expectations")
    triggered = set()
    for conns, _ in described.values():
        for ids in conns.values():
            triggered |= ids
    for rid in rules:
        trig = os.path.join(captures, "rules", rid + ".scn")
        near = os.path.join(captures, "rules", rid + "-near.scn")
        if rid not in triggered:
            errors.append(f"rule {rid}: no capture triggers it")
        if trig not in described or not any(rid in s for s in described[trig][0].values()):
            errors.append(f"rule {rid}: {trig} missing or does not list it")
        if near not in described:
            errors.append(f"rule {rid}: near miss {near} missing")
        elif any(rid in s for s in described[near][0].values()):
            errors.append(f"rule {rid}: near miss {near} lists the rule")
    for e in errors:
        print(e)
    print(f"{len(described)} files with expectations, {len(rules)} rules, {len(errors)} problems")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
