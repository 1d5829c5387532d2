# SPDX-License-Identifier: GPL-2.0-or-later
"""Output formats, the rules catalog, --version, --help, stdin, the filter,
--fail-on, colour and the progress bar; the expectation harness itself."""
import json
import os
import re
import subprocess
import sys

from pcapwrite import SYN, Conn, ether, handshake, tcp, write_pcapng
from harness import case, check, findings, two_connections


@case
def text_format(ctx):
    c = Conn("192.0.2.1", "192.0.2.2", 40000, 443)
    handshake(c, b"\x45\x04\x04\x21", b"\x45\x04\x01\x21", b"\x45\x02")  # z bit in A's SYN
    p = ctx.capture("text.pcap", c.frames)
    r = ctx.run("check", p)
    lines = r.out.splitlines()
    check(r.returncode == 0, "exit %d" % r.returncode, r.err)
    check(re.fullmatch(re.escape(p) + r":1: warning: syntax\.reserved_bits: .*z bits.*",
                       lines[0]), "finding line", r.out)
    check(re.fullmatch(re.escape(p) + r":1: connection 192\.0\.2\.1:40000 -> 192\.0\.2\.2:443:"
                       r" encrypted, TEP 0x21 TCPCRYPT_ECDHE_P256; three-way open, rfc8547 "
                       r"profile; .+", lines[1]), "connection line", r.out)
    check(lines[2].startswith("enoscope: 1 file, 5 packets, 1 connection: 1 encrypted, "
                              "0 disabled, 0 no-eno, 0 incomplete; findings: 0 errors, "
                              "1 warning, 0 notes"), "totals", r.out)
    check(not re.search(r"\d+ passed, \d+ failed", r.out), "pass/fail line", r.out)
    check("\033[" not in r.out, "colour in a pipe", r.out)


@case
def json_contract(ctx):
    p = ctx.capture("two.pcap", two_connections())
    r, conns, summary = ctx.json(p)
    check(r.returncode == 0, "exit", r.err)
    keys = ["type", "id", "file", "first_frame", "client", "server", "tunnel", "open", "profile",
            "status", "reason", "detail", "tep", "tep_name", "roles", "hosts", "syn_tep",
            "transcript", "frames", "findings"]
    for i, c in enumerate(conns):
        check(list(c) == keys, "keys", list(c))
        check(c["id"] == i + 1 and c["file"] == p, "id/file", c)
    c = conns[1]
    check(c["first_frame"] == 6 and c["client"] == "192.0.2.3:40001" and
          c["server"] == "192.0.2.4:443", "identity", c)
    check(c["open"] == "three-way" and c["profile"] == "rfc8547" and c["tep"] == 0x21 and
          c["tep_name"] == "TCPCRYPT_ECDHE_P256" and c["syn_tep"] == 0x21, "outcome", c)
    check(c["roles"] == {"a": "client", "b": "server"}, "roles", c)
    check(c["hosts"] == {"client": {"eno": True, "a": False, "b": False},
                         "server": {"eno": True, "a": False, "b": True}}, "hosts", c)
    check(c["transcript"] == "45032145040121", "transcript", c)
    check(c["frames"] == {"syn": 6, "synack": 7, "ack": 8}, "frames", c)
    counts = {"packets": 10, "connections": 2, "listed": 2,
              "status": {"encrypted": 2, "disabled": 0, "no-eno": 0, "incomplete": 0},
              "findings": {"error": 0, "warning": 0, "note": 0, "ignored": 0}}
    check(summary["files"] == 1 and summary["runs"] == 1 and summary["rules"] == {}
          and set(summary["reasons"].values()) == {0}
          and all(summary[k] == v for k, v in counts.items())
          and summary["dropped"] == 0, "summary", summary)
    check(summary["inputs"] == [{"file": p, "status": "read", "error": None,
                                 "stopped_after_frame": None, "counts": counts}],
          "inputs", summary)


@case
def rules_catalog(ctx):
    with open(ctx.rules_def, encoding="utf-8") as f:
        src = f.read()
    want = re.findall(r'ENO_RULE\(\w+, "([^"]+)",\s+\w+, \w+, (\w+), (\w+), "([^"]*)"', src)
    check(len(want) > 20, "could not read rules.def")
    r = ctx.run("rules", "--format", "json")
    check(r.returncode == 0, "exit", r.err)
    got = [json.loads(l) for l in r.out.splitlines()]
    check([(g["id"], g["severity"].upper(), g["draft_severity"].upper(), g["section"] or "-")
           for g in got] == list(want), "json catalog differs from rules.def", r.out)
    check(all(g["section"] != "-" and g["area"] == g["id"].split(".")[0] for g in got),
          "section null where there is none, area", r.out)
    check(all(g["title"] and g["description"] for g in got), "titles", r.out)
    t = ctx.run("rules")
    lines = t.out.splitlines()
    check(t.returncode == 0 and len(lines) == len(want), "text catalog lines", t.out)
    for line, (rid, sev, _, sec) in zip(lines, want):
        check(line.split()[:2] == [rid, sev.lower()] and sec in line, "text line", line)
    check(ctx.run("rules", "--long").out.count("\n") > 2 * len(want), "long form")


@case
def version(ctx):
    r = ctx.run("--version")
    check(r.returncode == 0 and r.out.startswith("enoscope %s " % ctx.version), "version",
          r.out)
    check(ctx.run("-V").out == r.out, "-V")


@case
def help(ctx):
    r = ctx.run("--help")
    check(r.returncode == 0 and "check" in r.out and "rules" in r.out, "top help", r.out)
    r = ctx.run("check", "--help")
    for opt in ("--format", "--fail-on", "--filter", "--max-connections", "--idle-timeout",
                "--color", "--no-progress", "FILE"):
        check(opt in r.out, "check --help lacks " + opt, r.out)
    check(r.returncode == 0, "exit")
    r = ctx.run("rules", "--help")
    check(r.returncode == 0 and "--format" in r.out, "rules --help", r.out)


@case
def stdin(ctx):
    p = ctx.capture("two.pcap", two_connections())
    _, by_file, _ = ctx.json(p)
    with open(p, "rb") as f:
        r, by_stdin, summary = ctx.json("-", stdin=f)
    check(r.returncode == 0, "exit", r.err)
    check(len(by_stdin) == 2 and all(c["file"] == "-" for c in by_stdin), "stdin", r.out)
    strip = lambda cs: [{k: v for k, v in c.items() if k != "file"} for c in cs]  # noqa: E731
    check(strip(by_file) == strip(by_stdin), "stdin differs from the file", r.out)
    pn = ctx.path("two.pcapng")
    write_pcapng(pn, two_connections())
    with open(pn, "rb") as f:
        r, ng, _ = ctx.json("-", stdin=f)
    check(strip(ng) == strip(by_file), "pcapng on stdin differs", r.out, r.err)


@case
def bpf_filter(ctx):
    p = ctx.capture("two.pcap", two_connections())
    r, conns, summary = ctx.json("--filter", "tcp port 443", p)
    check(r.returncode == 0, "exit", r.err)
    check([c["first_frame"] for c in conns] == [6], "filtered connections keep frame numbers",
          r.out)
    check(summary["packets"] == 10 and summary["skipped"]["filtered"] == 5, "counts", summary)
    r, conns, _ = ctx.json("-f", "host 192.0.2.1 and tcp[13] & 2 != 0", p)
    check([c["first_frame"] for c in conns] == [1], "SYN filter", r.out)


@case
def fail_on(ctx):
    c = Conn("192.0.2.1", "192.0.2.2", 40000, 443)
    handshake(c, b"\x45\x04\x04\x21", b"\x45\x04\x01\x21", b"\x45\x02")  # warning
    warn = ctx.capture("warn.pcap", c.frames)
    c = Conn("192.0.2.1", "192.0.2.2", 40000, 443)
    handshake(c, b"\x45\x03\x21", b"\x45\x04\x01\x21", b"", payloads=False)  # ack.missing
    err = ctx.capture("err.pcap", c.frames)
    clean = ctx.capture("clean.pcap", two_connections())
    for path, args, code in [(warn, [], 0), (warn, ["--fail-on", "warning"], 1),
                             (warn, ["--fail-on", "note"], 1), (warn, ["--fail-on", "error"], 0),
                             (warn, ["--fail-on", "none"], 0), (err, [], 1),
                             (err, ["--fail-on", "none"], 0), (clean, ["--fail-on", "note"], 0)]:
        r = ctx.run("check", *args, path)
        check(r.returncode == code, "%s %s: exit %d, expected %d" % (path, args, r.returncode,
                                                                      code), r.out, r.err)
    r, conns, _ = ctx.json(err)
    check(findings(conns[0]) == [("ack.missing", 3)], "ack.missing finding", r.out)


@case
def no_color(ctx):
    c = Conn("192.0.2.1", "192.0.2.2", 40000, 443)
    handshake(c, b"\x45\x04\x04\x21", b"\x45\x04\x01\x21", b"\x45\x02")
    p = ctx.capture("warn.pcap", c.frames)
    check("\033[" in ctx.run("check", "--color=always", p).out, "--color=always")
    check("\033[" not in ctx.run("check", "--color=never", p).out, "--color=never")
    check("\033[" not in ctx.run("check", p).out, "auto in a pipe")
    # The flag wins over the environment; NO_COLOR rules only auto.
    r = ctx.run("check", "--color=always", p, env={"NO_COLOR": "1"})
    check(r.returncode == 0 and "\033[" in r.out, "--color=always with NO_COLOR", r.out)
    check("\033[" in ctx.run("rules", "--color=always", env={"NO_COLOR": "1"}).out,
          "rules --color=always with NO_COLOR")
    check("\033[" in ctx.run("check", "--color=ALWAYS", p).out, "--color in upper case")
    import pty
    master, slave = pty.openpty()
    for env, want in [({"NO_COLOR": "1"}, False), ({}, True)]:
        e = dict(os.environ)
        e.pop("NO_COLOR", None)
        e.update(env)
        out = subprocess.run([ctx.enoscope, "rules", "ack.missing"], stdout=slave, stderr=subprocess.PIPE,
                             env=e)
        os.set_blocking(master, False)
        got = b""
        try:
            while True:
                chunk = os.read(master, 65536)
                if not chunk:
                    break
                got += chunk
        except (BlockingIOError, OSError):
            pass
        check(out.returncode == 0 and (b"\033[" in got) == want,
              "auto on a terminal with %s" % env, got[:200])
    os.close(master)
    os.close(slave)
    check("\033[" not in ctx.run("check", "--format", "json", "--color=always", p).out,
          "colour in JSON")


@case
def progress_bar(ctx):
    """A bar on stderr for a large file when stderr is a terminal, never
    otherwise and never with --no-progress."""
    import pty
    filler = ether(bytes(5000), ethertype=0x88B5)  # local experimental ethertype
    frames = [(1.0 + i * 1e-3, filler, len(filler)) for i in range(2000)]
    p = ctx.capture("big.pcap", frames + two_connections())

    def on_tty(*args):
        master, slave = pty.openpty()
        child = subprocess.Popen([ctx.enoscope, "check"] + list(args) + [p],
                                 stdout=subprocess.PIPE, stderr=slave)
        os.close(slave)
        err = b""
        while True:
            try:
                chunk = os.read(master, 4096)
            except OSError:
                break
            if not chunk:
                break
            err += chunk
        out = child.communicate()[0]
        os.close(master)
        return child.returncode, out.decode(), err.decode("utf-8", "replace")

    rc, out, err = on_tty()
    check(rc == 0 and "\r[" in err and "%" in err and p in err, "no bar on a terminal", err)
    check("\r[" not in out and "2 connections" in out, "bar on stdout", out)
    rc, out, err = on_tty("--no-progress")
    check("\r[" not in err, "bar with --no-progress", err)
    r = ctx.run("check", p)
    check("\r[" not in r.err, "bar in a pipe", r.err)


@case
def expect_harness(ctx):
    """check_expect.py itself: passes on matching expectations, fails with a
    diff on a mismatch, an extra connection, or no expectations at all."""
    harness = os.path.join(os.path.dirname(os.path.abspath(__file__)), "check_expect.py")
    p = ctx.capture("two.pcap", two_connections())

    def verdict(text):
        scn = ctx.path("two.scn")
        if text is None:
            if os.path.exists(scn):
                os.remove(scn)
        else:
            with open(scn, "w", encoding="utf-8") as f:
                f.write(text)
        r = subprocess.run([sys.executable, harness, ctx.enoscope, p], stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True)
        return r.returncode, r.stdout

    good = ("expect 1 status=encrypted tep=0x21 findings=none\n"
            "  expect 6 status=encrypted findings=none\nexpect-connections 2\nlink ethernet\n")
    rc, out = verdict(good)
    check(rc == 0, "matching expectations fail", out)
    rc, out = verdict(good.replace("tep=0x21", "tep=0x22"))
    check(rc == 1 and "-expect 1 status=encrypted tep=0x22" in out and
          "+expect 1 status=encrypted tep=0x21" in out, "no diff for a wrong tep", out)
    rc, out = verdict(good.replace("  expect 6 status=encrypted findings=none\n", ""))
    check(rc == 1 and "frame 6: connection reported but not expected" in out, "extra", out)
    rc, out = verdict(good.replace("findings=none", "findings=ack.missing@3", 1))
    check(rc == 1 and "findings differ" in out, "missing finding", out)
    rc, out = verdict("link ethernet\n")
    check(rc == 1 and "no expect" in out, "a file without expectation lines", out)
    rc, out = verdict(None)
    check(rc == 1 and "no expectations" in out, "no expectation file", out)


@case
def json_escaping(ctx):
    """A file name is the one string of the JSON output that any bytes can
    reach: control characters, quotes and backslashes come out escaped,
    valid UTF-8 as it is, and each byte that is not UTF-8 as U+FFFD, in
    the connection records and in the summary's inputs, for a capture that
    is read and for one that cannot be opened."""
    name = (b"n\x01\x02\x08\x0b\x0c\x0e\x1b\x1f\x7f\"q\\b\n\r\t c\xc3\xa9 e\xe2\x82\xac "
            b"g\xf0\x9d\x84\x9e \xff\xfe\xc0\xaf\x80 \xe2\x82.pcap")
    want = ("n\x01\x02\x08\x0b\x0c\x0e\x1b\x1f\x7f\"q\\b\n\r\t c\u00e9 e\u20ac "
            "g\U0001d11e \ufffd\ufffd\ufffd\ufffd\ufffd \ufffd\ufffd.pcap")
    escaped = (b'"n\\u0001\\u0002\\u0008\\u000b\\u000c\\u000e\\u001b\\u001f\x7f\\"q\\\\b'
               b'\\n\\r\\t c\xc3\xa9 e\xe2\x82\xac g\xf0\x9d\x84\x9e '
               b'\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd \\ufffd\\ufffd.pcap"')
    src = ctx.capture("two.pcap", two_connections())
    d = os.fsencode(ctx.dir)
    p = os.path.join(d, name)
    os.rename(os.fsencode(src), p)
    missing = os.path.join(d, b"missing " + name)
    r = subprocess.run([ctx.enoscope, "check", "--format", "json", p, missing],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    check(r.returncode == 2, "exit %d" % r.returncode, r.stderr)
    lines = r.stdout.split(b"\n")
    check(len(lines) == 4 and lines[3] == b"", "three records", r.stdout)
    # json.loads is strict: a raw control character in a string fails it.
    objs = [json.loads(line.decode("utf-8")) for line in lines[:3]]
    full = os.fsdecode(d) + "/"
    for c in objs[:2]:
        check(c["type"] == "connection" and c["file"] == full + want, "connection file", c)
        check((b'"file":' + escaped[:1] + d + b"/" + escaped[1:]) in lines[0], "escapes",
              lines[0])
    ins = objs[2]["inputs"]
    check([i["file"] for i in ins] == [full + want, full + "missing " + want], "inputs", ins)
    check(ins[0]["error"] is None and ins[1]["status"] == "error" and
          ins[1]["error"].startswith("cannot open"), "error", ins)
