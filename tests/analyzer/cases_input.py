# SPDX-License-Identifier: GPL-2.0-or-later
"""Bad input and usage errors: exit status 2 with a clear message."""
import json
import random
import re

from pcapwrite import ACK, SYN, Conn, eno_success, pcap_bytes, tcp
from harness import case, check, two_connections


@case
def truncated_file(ctx):
    a = eno_success(Conn("192.0.2.1", "192.0.2.2", 40000, 443))
    b = Conn("192.0.2.3", "192.0.2.4", 40001, 443, ts=2.0)
    b.send(0, SYN, b"\x45\x03\x21").send(1, SYN | ACK, b"\x45\x04\x01\x21")
    data = pcap_bytes(a.frames + b.frames)
    # A record header announcing 60 bytes, followed by 20 of them.
    data += bytes.fromhex("03000000 00000000 3c000000 3c000000".replace(" ", "")) + bytes(20)
    p = ctx.path("cut.pcap")
    with open(p, "wb") as f:
        f.write(data)
    r, conns, summary = ctx.json(p)
    check(r.returncode == 2, "exit %d, expected 2" % r.returncode, r.err)
    check(p in r.err and "truncated" in r.err, "stderr names neither file nor fault", r.err)
    check("after frame 7" in r.err, "stderr does not say where the fault is", r.err)
    check([c["first_frame"] for c in conns] == [1, 6], "connections read before the fault",
          r.out)
    check(conns[0]["status"] == "encrypted" and conns[1]["status"] == "incomplete",
          "statuses", r.out)
    check(summary and summary["packets"] == 7, "summary", r.out)
    t = ctx.run("check", p)
    check(t.returncode == 2 and "6: connection 192.0.2.3:40001 -> 192.0.2.4:443" in t.out,
          "text output before the fault", t.out, t.err)


@case
def empty_file(ctx):
    p = ctx.path("empty.pcap")
    open(p, "wb").close()
    r = ctx.run("check", p)
    check(r.returncode == 2, "exit %d, expected 2" % r.returncode)
    check(p in r.err and "empty" in r.err, "message", r.err)
    r = ctx.run("check", "-", stdin_bytes=b"")
    check(r.returncode == 2 and "empty" in r.err, "empty stdin", r.returncode, r.err)


@case
def wrong_magic(ctx):
    p = ctx.path("magic.pcap")
    with open(p, "wb") as f:
        f.write(bytes.fromhex("efbeadde0200040000000000000000000000040001000000") + bytes(64))
    r = ctx.run("check", p)
    check(r.returncode == 2, "exit %d, expected 2" % r.returncode)
    check(p in r.err and "unknown magic" in r.err, "message", r.err)


@case
def garbage(ctx):
    rnd = random.Random(8547)
    p = ctx.path("garbage.pcap")
    with open(p, "wb") as f:
        f.write(bytes(rnd.randrange(256) for _ in range(4096)))
    r = ctx.run("check", p)
    check(r.returncode == 2, "exit %d, expected 2" % r.returncode, r.err)
    check(p in r.err and "error" in r.err, "message", r.err)
    check("Sanitizer" not in r.err, "crash", r.err)
    # A valid header followed by records with absurd lengths.
    q = ctx.path("garbage2.pcap")
    with open(q, "wb") as f:
        f.write(pcap_bytes([]) + bytes(rnd.randrange(256) for _ in range(512)))
    r = ctx.run("check", q)
    check(r.returncode == 2 and q in r.err, "corrupt records", r.returncode, r.err)


@case
def directory(ctx):
    """A directory is walked: captures found by content, in sorted order,
    the rest ignored; a corrupt capture is reported and the others read."""
    import os
    top = ctx.path("tree")
    os.makedirs(os.path.join(top, "b", "deeper"))
    os.makedirs(os.path.join(top, "a"))
    conn = lambda port: eno_success(Conn("192.0.2.1", "192.0.2.2", port, 443)).frames  # noqa
    write = lambda rel, data: open(os.path.join(top, rel), "wb").write(data)  # noqa
    write("b/deeper/no-suffix", pcap_bytes(conn(40003)))
    write("a/z.cap", pcap_bytes(conn(40002)))
    write("a/readme.txt", b"not a capture\n")
    write("a/empty", b"")
    write("0.pcap", pcap_bytes(conn(40001)))
    write("b/cut.pcap", pcap_bytes(conn(40004))[:-10])
    os.symlink(os.path.join(top, "a"), os.path.join(top, "loop"))   # not followed
    os.symlink(os.path.join(top, "missing"), os.path.join(top, "dangling"))
    r, conns, summary = ctx.json(top)
    check(r.returncode == 2, "exit %d, expected 2 (the corrupt file)" % r.returncode, r.err)
    files = [os.path.relpath(c["file"], top) for c in conns]
    check(files == ["0.pcap", "a/z.cap", "b/cut.pcap", "b/deeper/no-suffix"],
          "captures in sorted order", files, r.out)
    check([c["client"] for c in conns] == ["192.0.2.1:%d" % p for p in
                                           (40001, 40002, 40004, 40003)], "clients", r.out)
    check(summary["files"] == 4, "files read", summary)
    check("cut.pcap" in r.err and "truncated" in r.err, "the corrupt file is named", r.err)
    check("dangling" in r.err, "the dangling link is named", r.err)
    check("readme" not in r.err and "empty" not in r.err, "non-captures are skipped quietly",
          r.err)
    good = ctx.path("good")
    os.makedirs(good)
    with open(os.path.join(good, "x"), "wb") as f:
        f.write(pcap_bytes(conn(40001)))
    r, conns, _ = ctx.json(good)
    check(r.returncode == 0 and len(conns) == 1, "a clean directory", r.out, r.err)
    none = ctx.path("none")
    os.makedirs(none)
    r = ctx.run("check", none)
    check(r.returncode == 2 and none in r.err and "no capture" in r.err, "an empty directory",
          r.err)


@case
def missing_file(ctx):
    p = ctx.path("no-such.pcap")
    r = ctx.run("check", p)
    check(r.returncode == 2, "exit %d, expected 2" % r.returncode)
    check(p in r.err and "No such file" in r.err, "message", r.err)


@case
def usage_errors(ctx):
    p = ctx.capture("ok.pcap", two_connections())
    for args, words in [(["check", "--bogus", p], "unknown option"),
                        (["frobnicate"], "unknown command"),
                        ([], "no command"),
                        (["check"], "no input file"),
                        (["check", "--fail-on", "fatal", p], "--fail-on"),
                        (["check", "--format", "xml", p], "output format"),
                        (["check", "--max-connections", "0", p], "--max-connections"),
                        (["check", "--idle-timeout", "x", p], "--idle-timeout"),
                        (["check", "--color", "sometimes", p], "--color"),
                        (["check", "-", "-"], "only once"),
                        (["check", "--filter", "tcp port", p], "invalid filter"),
                        (["rules", "extra"], "unknown rule or area"),
                        (["check", "--connections", "some", p], "--connections"),
                        (["check", "--select", "nosuch.rule", p], "unknown rule or area"),
                        (["check", "--ignore", "syntax,bogus", p], "\"bogus\""),
                        (["check", "--severity", "ack.missing", p], "RULE=LEVEL"),
                        (["check", "--severity", "ack.missing=fatal", p], "unknown severity"),
                        (["check", "--severity", "nosuch=note", p], "unknown rule or area"),
                        (["check", "-c", "0", p], "-c"),
                        (["check", "--config", "/nonexistent/enoscope.conf", p], "enoscope.conf"),
                        (["merge"], "no input file"),
                        (["merge", "--format", "xml", "-"], "output format")]:
        r = ctx.run(*args)
        check(r.returncode == 2, "%s: exit %d, expected 2" % (args, r.returncode), r.err)
        check(words in r.err, "%s: message lacks %r" % (args, words), r.err)
        check(r.out == "", "%s: usage error printed a report" % args, r.out)
        for line in r.err.splitlines():
            check(re.fullmatch(r"enoscope: (\S+: )?(error: )?[a-z\-].*", line),
                  "%s: a diagnostic that does not start in lower case" % args, r.err)
