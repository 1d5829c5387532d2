#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Runs `enoscope check --format json` on one capture and compares what it
reports with the capture's expectation lines (NAME.scn beside a generated
capture, NAME.expect beside a recorded one):

    expect <first-frame> status=<s> [reason=<r>] [tep=<0xNN|none>] findings=<list>
    expect-connections <N>

Fails with a diff on any mismatch, and when the capture has no expectations.
usage: check_expect.py ENOSCOPE CAPTURE [EXPECTATION-FILE]
"""
import collections
import difflib
import json
import os
import re
import subprocess
import sys

Expect = collections.namedtuple("Expect", "frame status reason tep findings line")


def parse_findings(text):
    if text == "none":
        return []
    out = []
    for item in text.split(","):
        m = re.fullmatch(r"([a-z0-9_]+\.[a-z0-9_]+)(?:@(\d+))?", item)
        if not m:
            raise ValueError("bad finding %r" % item)
        out.append((m.group(1), int(m.group(2)) if m.group(2) else None))
    return out


def parse_expectations(path):
    conns, count = {}, None
    with open(path, encoding="utf-8") as f:
        for no, raw in enumerate(f, 1):
            words = raw.split()
            if not words or words[0] not in ("expect", "expect-connections"):
                continue
            where = "%s:%d" % (path, no)
            if words[0] == "expect-connections":
                if len(words) != 2 or not words[1].isdigit():
                    raise ValueError("%s: bad expect-connections line" % where)
                count = int(words[1])
                continue
            if len(words) < 3 or not words[1].isdigit():
                raise ValueError("%s: bad expect line" % where)
            fields = dict(w.split("=", 1) for w in words[2:] if "=" in w)
            unknown = set(fields) - {"status", "reason", "tep", "findings"}
            if unknown or "status" not in fields or "findings" not in fields:
                raise ValueError("%s: expect needs status= and findings= (unknown: %s)"
                                 % (where, ", ".join(sorted(unknown)) or "-"))
            tep = fields.get("tep")
            if tep is not None and tep != "none":
                tep = int(tep, 16)
            frame = int(words[1])
            if frame in conns:
                raise ValueError("%s: second expect line for frame %d" % (where, frame))
            conns[frame] = Expect(frame, fields["status"], fields.get("reason"), tep,
                                  parse_findings(fields["findings"]), raw.strip())
    return conns, count


def findings_match(expected, actual):
    """expected: [(rule, frame|None)], actual: [(rule, frame)]: exact multiset."""
    left = list(actual)
    for rule, frame in sorted(expected, key=lambda e: e[1] is None):
        for i, (r, f) in enumerate(left):
            if r == rule and (frame is None or f == frame):
                del left[i]
                break
        else:
            return False
    return not left


def render(frame, status, reason, tep, findings, like):
    """One connection as an expect line, with the fields `like` states."""
    out = "expect %d status=%s" % (frame, status)
    if reason is not None and (like is None or like.reason is not None):
        out += " reason=%s" % reason
    if like is None or like.tep is not None:
        out += " tep=%s" % ("none" if tep in (None, "none") else "0x%02x" % tep)
    with_frame = {r for r, f in like.findings if f is not None} if like else None
    items = sorted(findings, key=lambda x: (x[0], x[1] or 0))
    text = ",".join(r + ("@%d" % f if f is not None and (with_frame is None or r in with_frame)
                         else "") for r, f in items)
    return out + " findings=" + (text or "none")


def main():
    if len(sys.argv) not in (3, 4):
        print(__doc__, file=sys.stderr)
        return 2
    enoscope, capture = sys.argv[1], sys.argv[2]
    if len(sys.argv) == 4:
        exp_path = sys.argv[3]
    else:
        stem = os.path.splitext(capture)[0]
        exp_path = next((p for p in (stem + ".scn", stem + ".expect") if os.path.exists(p)),
                        None)
    if exp_path is None:
        print("FAIL %s: no expectations (neither %s.scn nor %s.expect exists)"
              % (capture, stem, stem))
        return 1
    try:
        expected, count = parse_expectations(exp_path)
    except ValueError as e:
        print("FAIL: %s" % e)
        return 1
    if not expected and count is None:
        print("FAIL %s: %s holds no expect or expect-connections line" % (capture, exp_path))
        return 1

    run = subprocess.run([enoscope, "check", "--format", "json", "--fail-on", "none", capture],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if run.returncode != 0:
        print("FAIL %s: enoscope exited with %d\n%s" % (capture, run.returncode, run.stderr))
        return 1
    actual = {}
    for line in run.stdout.splitlines():
        obj = json.loads(line)
        if obj["type"] == "connection":
            actual[obj["first_frame"]] = obj

    problems = []
    if count is not None and count != len(actual):
        problems.append("expect-connections %d, but enoscope reported %d" % (count, len(actual)))
    exp_lines, act_lines = [], []
    for frame in sorted(set(expected) | set(actual)):
        e, a = expected.get(frame), actual.get(frame)
        if e:
            exp_lines.append(render(e.frame, e.status, e.reason, e.tep, e.findings, e))
        if a:
            fnd = [(f["rule"], f["frames"][0] if f["frames"] else None) for f in a["findings"]]
            act_lines.append(render(frame, a["status"], a["reason"], a["tep"], fnd, e))
        if not a:
            problems.append("frame %d: expected a connection, none reported" % frame)
        elif not e:
            problems.append("frame %d: connection reported but not expected" % frame)
        else:
            if e.status != a["status"]:
                problems.append("frame %d: status %s, expected %s" % (frame, a["status"], e.status))
            if e.reason is not None and e.reason != a["reason"]:
                problems.append("frame %d: reason %s, expected %s" % (frame, a["reason"] or "none", e.reason))
            if e.tep is not None and (None if e.tep == "none" else e.tep) != a["tep"]:
                problems.append("frame %d: tep %s, expected %s" % (frame, a["tep"], e.tep))
            if not findings_match(e.findings, fnd):
                problems.append("frame %d: findings differ" % frame)
    if problems:
        print("FAIL %s (expectations from %s):" % (capture, exp_path))
        for p in problems:
            print("  " + p)
        print("".join(difflib.unified_diff([l + "\n" for l in exp_lines],
                                           [l + "\n" for l in act_lines],
                                           "expected", "enoscope")))
        return 1
    print("ok %s: %d connections as expected" % (capture, len(actual)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
