# SPDX-License-Identifier: GPL-2.0-or-later
"""Output for CI and for people: --connections, -q, rule selection and the
configuration file, JUnit, rules RULE, -o, -c over files, the summary's
inputs, merge, and the polish (frame order, no empty totals)."""
import json
import os
import re
import subprocess

from pcapwrite import Conn, eno_success, handshake, pcap_bytes
from harness import case, check


def three_kinds(ctx, name="kinds.pcap"):
    """Frames 1-5: ENO success; 6-10: plain TCP; 11-13: ack.missing (error)."""
    ok = eno_success(Conn("192.0.2.1", "192.0.2.2", 40000, 443))
    plain = handshake(Conn("192.0.2.3", "192.0.2.4", 40001, 80, ts=2.0), b"", b"", b"")
    bad = handshake(Conn("192.0.2.5", "192.0.2.6", 40002, 443, ts=3.0), b"\x45\x03\x21",
                    b"\x45\x04\x01\x21", b"", payloads=False)
    return ctx.capture(name, ok.frames + plain.frames + bad.frames)


def conn_lines(out):
    return [l for l in out.splitlines() if ": connection " in l]


def run_in(ctx, cwd, *args):
    e = dict(os.environ)
    e.pop("NO_COLOR", None)
    r = subprocess.run([ctx.enoscope] + list(args), cwd=cwd, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, env=e)
    r.out, r.err = r.stdout.decode(), r.stderr.decode()
    return r


@case
def connections_choice(ctx):
    p = three_kinds(ctx)
    r = ctx.run("check", p)
    lines = conn_lines(r.out)
    check([l.split(":")[1] for l in lines] == ["1", "11"], "text default is eno", r.out)
    check("3 connections" in r.out and "1 connection not listed" in r.out,
          "the plain connection is counted in the totals", r.out)
    r = ctx.run("check", "--connections=all", p)
    check(len(conn_lines(r.out)) == 3 and "not listed" not in r.out, "all", r.out)
    r = ctx.run("check", "--connections", "FINDINGS", p)
    check([l.split(":")[1] for l in conn_lines(r.out)] == ["11"], "findings", r.out)
    r, conns, summary = ctx.json(p)
    check([c["first_frame"] for c in conns] == [1, 6, 11] and summary["listed"] == 3,
          "json default is all", r.out)
    r, conns, summary = ctx.json("--connections=eno", p)
    check([c["first_frame"] for c in conns] == [1, 11] and summary["connections"] == 3 and
          summary["listed"] == 2 and summary["status"]["no-eno"] == 1, "json eno", r.out)
    check([c["id"] for c in conns] == [1, 3], "ids count the connections not listed", r.out)


@case
def quiet(ctx):
    p = three_kinds(ctx)
    r = ctx.run("check", "-q", p)
    lines = r.out.splitlines()
    check(r.returncode == 1 and not conn_lines(r.out), "no outcome lines", r.out)
    check(re.match(re.escape(p) + r":13: error: ack\.missing: ", lines[0]) and
          lines[1].startswith("enoscope: 1 file, 13 packets, 3 connections"),
          "the finding, then the totals", r.out)
    r, conns, _ = ctx.json("--quiet", p)
    check([c["first_frame"] for c in conns] == [11], "json -q lists findings only", r.out)


@case
def rule_selection(ctx):
    p = three_kinds(ctx)
    for args in (["--ignore", "ack.missing"], ["--ignore", "ack"], ["--ignore=Ack"],
                 ["--select", "syntax,tep"], ["--select", "syntax", "--select", "role"]):
        r, conns, summary = ctx.json(*args, p)
        check(r.returncode == 0 and all(not c["findings"] for c in conns), "%s" % args, r.out)
        check(summary["findings"] == {"error": 0, "warning": 0, "note": 0, "ignored": 1} and
              summary["rules"] == {"ack.missing": {"reported": 0, "ignored": 1}},
              "%s: the ignored finding is counted" % args, summary)
    r = ctx.run("check", "--ignore", "ack", p)
    check(r.returncode == 0 and "ack.missing" not in r.out.split("enoscope:")[0] and
          "1 ignored by the rule selection" in r.out, "text counts the ignored", r.out)
    r, conns, summary = ctx.json("--select", "ack", p)
    check(r.returncode == 1 and summary["findings"]["error"] == 1, "--select keeps it", r.out)
    r, conns, summary = ctx.json("--severity", "ack.missing=note", p)
    check(r.returncode == 0 and conns[2]["findings"][0]["severity"] == "note" and
          summary["findings"]["note"] == 1 and summary["findings"]["error"] == 0,
          "re-graded to note: --fail-on error passes", r.out)
    for args in (["--severity", "ack.missing=Warning", "--fail-on", "WARNING"],
                 ["--severity", "ACK=warning", "--fail-on", "note"]):
        r, conns, _ = ctx.json(*args, p)
        check(r.returncode == 1 and conns[2]["findings"][0]["severity"] == "warning",
              "%s: case-insensitive, --fail-on sees the new severity" % args, r.out)
    r = ctx.run("check", "--severity", "ack.missing=note", p)
    check(":13: note: ack.missing:" in r.out and "0 errors, 0 warnings, 1 note" in r.out,
          "text shows the new severity", r.out)


@case
def config_file(ctx):
    p = three_kinds(ctx)
    conf = ctx.path(".enoscope.conf")
    with open(conf, "w") as f:
        f.write("[check]\nconnections = findings\nfail-on = note\n\n"
                "[severity]\nack.missing = note\n")
    r = run_in(ctx, ctx.dir, "check", "--format", "json", p)
    objs = [json.loads(l) for l in r.out.splitlines()]
    check(r.returncode == 1 and len(objs) == 2 and
          objs[0]["findings"][0]["severity"] == "note", "./.enoscope.conf is read", r.out, r.err)
    r = run_in(ctx, ctx.dir, "check", "--fail-on", "error", "--connections", "all", p)
    check(r.returncode == 0 and len(conn_lines(r.out)) == 3, "the command line wins", r.out)
    r = run_in(ctx, ctx.dir, "check", "--no-config", p)
    check(r.returncode == 1 and ":13: error: ack.missing" in r.out, "--no-config", r.out)
    other = ctx.path("other.conf")
    with open(other, "w") as f:
        f.write("# ignore what CI does not gate on\n[check]\nignore = ack;syntax\n")
    r = run_in(ctx, "/", "check", "--config", other, p)
    check(r.returncode == 0 and "1 ignored" in r.out, "--config FILE", r.out, r.err)
    for text, words in [("[check]\nselcet = ack\n", "unknown key \"selcet\""),
                        ("[checks]\n", "unknown group"),
                        ("[check]\nignore = nosuch\n", "unknown rule or area \"nosuch\""),
                        ("[severity]\nack.missing = fatal\n", "unknown severity"),
                        ("[check]\nfail-on = sometimes\n", "fail-on in"),
                        ("not a key file\n", "")]:
        with open(other, "w") as f:
            f.write(text)
        r = run_in(ctx, "/", "check", "--config", other, p)
        check(r.returncode == 2 and other in r.err and words in r.err and r.out == "",
              "bad config %r" % text, r.err)
        check(all(re.match(r"enoscope: (\S+: )?(error: )?[a-z]", l) for l in r.err.splitlines()),
              "lower case", r.err)


@case
def junit_report(ctx):
    p = three_kinds(ctx)
    c = Conn("192.0.2.1", "192.0.2.2", 40000, 443)
    handshake(c, b"\x45\x04\x04\x21", b"\x45\x04\x01\x21", b"\x45\x02")  # a warning
    w = ctx.capture("warn.pcap", c.frames)
    r = ctx.run("check", "--format", "junit", p, w, ctx.path("missing.pcap"))
    check(r.returncode == 2, "exit", r.err)
    import xml.etree.ElementTree as ET
    root = ET.fromstring(r.out)
    suites = root.findall("testsuite")
    check([s.get("name") for s in suites] == [p, w, ctx.path("missing.pcap")],
          "a testsuite per input", r.out)
    cases = suites[0].findall("testcase")
    check(len(cases) == 2 and suites[0].get("tests") == "2" and
          suites[0].get("failures") == "1", "testcases of listed connections", r.out)
    fail = cases[1].find("failure")
    check(fail is not None and fail.get("type") == "ack.missing" and
          "host A's completing ACK" in fail.get("message") and
          "%s:13: error: ack.missing" % p in fail.text and "(frame 13)" in fail.text,
          "failure: rule id, frames, message", r.out)
    check(suites[1].get("failures") == "0" and
          "warning: syntax.reserved_bits" in suites[1].find("testcase/system-out").text,
          "a finding below --fail-on is no failure", r.out)
    check(suites[2].get("errors") == "1" and
          "cannot open" in suites[2].find("testcase/error").get("message"), "missing file",
          r.out)
    r = ctx.run("check", "--format", "junit", "--fail-on", "warning", w)
    check(ET.fromstring(r.out).find("testsuite").get("failures") == "1", "--fail-on warning",
          r.out)


@case
def rules_explain(ctx):
    r = ctx.run("rules", "ack.missing")
    check(r.returncode == 0 and r.out.startswith("ack.missing: ") and
          re.search(r"severity: +error \(RFC 8547 profile\), warning \(draft profile\)", r.out)
          and re.search(r"section: +RFC 8547 section \d", r.out) and
          re.search(r"unconfirmed: +no", r.out) and "completing ACK" in r.out,
          "id, severities, section, unconfirmed, description", r.out)
    r = ctx.run("rules", "SYNTAX", "tep.unoffered")
    with open(ctx.rules_def, encoding="utf-8") as f:
        n_syntax = len(re.findall(r'ENO_RULE\(\w+, "syntax\.', f.read()))
    heads = re.findall(r"^(\S+): ", r.out, re.M)
    check(len(heads) == n_syntax + 1 and heads[-1] == "tep.unoffered" and
          all(h.startswith("syntax.") for h in heads[:-1]), "an area, then a rule", heads)
    check("unconfirmed: yes" in r.out, "unconfirmed rules say so", r.out)
    r = ctx.run("rules", "--format", "json", "ack.missing")
    check([json.loads(l)["id"] for l in r.out.splitlines()] == ["ack.missing"], "json", r.out)
    r = ctx.run("rules", "--help")
    check(r.returncode == 0 and "RULE" in r.out and "--long" in r.out and
          "--format" in r.out and "--max-connections" not in r.out, "rules --help", r.out)
    r = ctx.run("rules", "nosuch")
    check(r.returncode == 2 and "unknown rule or area \"nosuch\"" in r.err, "unknown", r.err)


@case
def output_file(ctx):
    p = three_kinds(ctx)
    out = ctx.path("report.json")
    r = ctx.run("check", "--format", "json", "-o", out, p)
    check(r.returncode == 1 and r.out == "", "nothing on stdout", r.out)
    with open(out) as f:
        lines = f.read().splitlines()
    check(len(lines) == 4 and json.loads(lines[-1])["type"] == "summary", "the file", lines)
    r = ctx.run("check", "--output", ctx.path("no/such/dir/x"), p)
    check(r.returncode == 2 and "cannot write" in r.err, "unwritable", r.err)
    with open(p, "rb") as f:
        before = f.read()
    r = ctx.run("check", "-o", p, p)
    with open(p, "rb") as f:
        check(r.returncode == 2 and "is the input" in r.err and f.read() == before,
              "-o naming the input leaves it alone", r.err)
    r = ctx.run("check", "--color=auto", "-o", out, p)
    with open(out) as f:
        check("\033[" not in f.read(), "no colour in a file")


@case
def count_over_files(ctx):
    a = three_kinds(ctx, "a.pcap")
    b = three_kinds(ctx, "b.pcap")
    r, conns, summary = ctx.json("-c", "3", a, b)
    check(r.returncode == 0 and summary["packets"] == 3 and
          [i["status"] for i in summary["inputs"]] == ["read", "not-read"],
          "-c 3 stops in the first file", r.out, r.err)
    r, conns, summary = ctx.json("--count", "16", a, b)
    check(summary["packets"] == 16 and
          [i["counts"]["packets"] for i in summary["inputs"]] == [13, 3],
          "-c 16 reads three frames of the second", summary)
    with open(a, "rb") as f:
        r, conns, summary = ctx.json("-c", "5", "-", stdin=f)
    check(r.returncode == 0 and summary["packets"] == 5, "-c on stdin", r.out, r.err)


@case
def summary_inputs(ctx):
    p = three_kinds(ctx)
    with open(p, "rb") as f:
        data = f.read()
    cut = ctx.path("cut.pcap")
    with open(cut, "wb") as f:
        f.write(data[:-20])
    missing = ctx.path("missing.pcap")
    r, conns, summary = ctx.json(p, missing, cut)
    check(r.returncode == 2, "exit", r.err)
    ins = summary["inputs"]
    check([(i["file"], i["status"]) for i in ins] ==
          [(p, "read"), (missing, "error"), (cut, "error")], "every input", ins)
    check(ins[0]["error"] is None and ins[0]["counts"]["connections"] == 3 and
          ins[0]["counts"]["packets"] == 13 and ins[0]["counts"]["findings"]["error"] == 1,
          "own counts", ins[0])
    check("cannot open" in ins[1]["error"] and ins[1]["stopped_after_frame"] is None,
          "the missing file", ins[1])
    check("truncated" in ins[2]["error"] and ins[2]["stopped_after_frame"] == 12 and
          ins[2]["counts"]["packets"] == 12, "where the cut file stopped", ins[2])
    r, _, summary = ctx.json(ctx.path("empty-dir-missing"))
    check(summary["inputs"][0]["status"] == "error", "alone", summary)


@case
def no_empty_totals(ctx):
    r = ctx.run("check", ctx.path("missing.pcap"))
    check(r.returncode == 2 and r.out == "" and "cannot open" in r.err,
          "an error on the only argument prints no totals", r.out)
    p = three_kinds(ctx)
    r = ctx.run("check", ctx.path("missing.pcap"), p)
    check(r.returncode == 2 and "enoscope: 1 file, 13 packets" in r.out, "the others count",
          r.out)


@case
def findings_in_frame_order(ctx):
    corpus = os.path.join(os.path.dirname(ctx.rules_def), "..", "..", "captures")
    r, conns, _ = ctx.json("--fail-on", "none", corpus)
    several = 0
    for c in conns:
        at = [f["frames"][0] for f in c["findings"]]
        check(at == sorted(at), "findings out of frame order", c)
        several += len(set(at)) > 1
    check(several >= 3, "too few connections with findings on several frames: %d" % several)
    r = ctx.run("check", "--fail-on", "none", corpus)
    last = {}
    for line in r.out.splitlines():
        m = re.match(r"(.+):(\d+): (error|warning|note): ", line)
        if m:
            check(int(m.group(2)) >= last.get(m.group(1), 0), "text order", line)
            last[m.group(1)] = int(m.group(2))
        elif ": connection " in line:
            last = {}


@case
def merge_runs(ctx):
    p = three_kinds(ctx)
    c = Conn("192.0.2.1", "192.0.2.2", 40000, 443)
    handshake(c, b"\x45\x04\x04\x21", b"\x45\x04\x01\x21", b"\x45\x02")
    w = ctx.capture("warn.pcap", c.frames)
    runs = []
    for args in ([p], [w], [w, "--ignore", "syntax"]):
        r = ctx.run("check", "--format", "json", *args)
        runs.append(r.out)
    a, b = ctx.path("a.jsonl"), ctx.path("b.jsonl")
    with open(a, "w") as f:
        f.write(runs[0] + runs[1])
    with open(b, "w") as f:
        f.write(runs[2])
    r = ctx.run("merge", "--format", "json", a, "-", stdin_bytes=open(b, "rb").read())
    check(r.returncode == 1, "an error among the findings", r.err)
    m = json.loads(r.out)
    check(m["type"] == "summary" and m["runs"] == 3 and m["files"] == 3 and
          m["packets"] == 13 + 5 + 5 and m["connections"] == 5 and
          m["status"] == {"encrypted": 3, "disabled": 1, "no-eno": 1, "incomplete": 0} and
          m["reasons"]["ack-missing-eno"] == 1 and sum(m["reasons"].values()) == 1 and
          m["findings"] == {"error": 1, "warning": 1, "note": 0, "ignored": 1} and
          m["rules"] == {"ack.missing": {"reported": 1, "ignored": 0},
                         "syntax.reserved_bits": {"reported": 1, "ignored": 1}} and
          [i["file"] for i in m["inputs"]] == [p, w, w], "the sums", m)
    again = ctx.path("merged.jsonl")
    with open(again, "w") as f:
        f.write(r.out)
    r2 = ctx.run("merge", "--format", "json", again, b)
    m2 = json.loads(r2.out)
    check(m2["runs"] == 4 and m2["findings"]["ignored"] == 2, "a merge merges again", r2.out)
    r = ctx.run("merge", "--fail-on", "none", a, b)
    check(r.returncode == 0 and r.out.startswith(
        "enoscope: 3 runs, 3 files, 23 packets, 5 connections: 3 encrypted, 1 disabled, "
        "1 no-eno, 0 incomplete (disabled: 1 ack-missing-eno); findings: 1 error, 1 warning, "
        "0 notes, 1 ignored"),
        "text totals", r.out)
    check(re.search(r"^  ack\.missing +1 +0$", r.out, re.M) and
          re.search(r"^  syntax\.reserved_bits +1 +1$", r.out, re.M), "per rule", r.out)
    bad = ctx.path("bad.jsonl")
    for text, words in [("{not json\n", "not JSON"), ("", "no summary"),
                        (runs[0] + runs[0].splitlines()[0] + "\n", "did not finish"),
                        ('{"a": 1}\n', "no \"type\"")]:
        with open(bad, "w") as f:
            f.write(text)
        r = ctx.run("merge", bad)
        check(r.returncode == 2 and words in r.err and bad in r.err, "bad input %r" % text,
              r.err)
    errs = ctx.run("check", "--format", "json", ctx.path("missing.pcap"), p).out
    r = ctx.run("merge", "--fail-on", "none", "-", stdin_bytes=errs.encode())
    check(r.returncode == 2 and "missing.pcap: error: cannot open" in r.out,
          "an input that could not be read", r.out)
