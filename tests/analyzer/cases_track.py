# SPDX-License-Identifier: GPL-2.0-or-later
"""Connection tracking: port reuse, retransmissions, simultaneous open,
mid-stream segments, RST, idle expiry, several files, the memory bound."""
import json
import os
import subprocess

from pcapwrite import (ACK, FIN, INIT1, INIT2, PSH, RST, SYN, Conn, eno_success, ether, ipv4,
                       pcap_bytes, tcp)
from harness import case, check, findings, two_connections


@case
def port_reuse(ctx):
    c = Conn("192.0.2.1", "192.0.2.2", 40000, 443)
    c.send(0, SYN, b"\x45\x03\x21").send(1, SYN | ACK, b"\x45\x04\x01\x21")
    c.seq = [90000, 70000]  # same ports, new ISN before the first one settled
    eno_success(c)
    c.seq = [190000, 170000]  # and again after the second one settled
    c.send(0, SYN, b"").send(1, SYN | ACK, b"").send(0, ACK, b"")
    p = ctx.capture("reuse.pcap", c.frames)
    r, conns, _ = ctx.json(p)
    check([(x["first_frame"], x["status"]) for x in conns] ==
          [(1, "incomplete"), (3, "encrypted"), (8, "no-eno")], "three connections", r.out)


@case
def retransmission(ctx):
    c = Conn("192.0.2.1", "192.0.2.2", 40000, 443)
    c.send(0, SYN, b"\x45\x03\x21")
    c.send(0, SYN, b"\x45\x03\x21", seq=c.seq[0] - 1)
    c.send(1, SYN | ACK, b"\x45\x04\x01\x21")
    c.send(1, SYN | ACK, b"\x45\x04\x01\x21", seq=c.seq[1] - 1)
    c.send(0, ACK, b"\x45\x02").send(0, ACK | PSH, b"", INIT1).send(1, ACK | PSH, b"", INIT2)
    c.send(1, SYN | ACK, b"\x45\x04\x01\x21", seq=c.seq[1] - len(INIT2) - 1)  # after verdict
    p = ctx.capture("rexmit.pcap", c.frames)
    r, conns, summary = ctx.json(p)
    check([(x["first_frame"], x["status"], x["findings"]) for x in conns] ==
          [(1, "encrypted", [])], "one connection", r.out)
    check(summary["segments"]["late"] == 1, "late SYN-ACK counted", summary)


@case
def simultaneous_open(ctx):
    c = Conn("192.0.2.1", "192.0.2.2", 40000, 40001)
    c.send(0, SYN, b"\x45\x04\x22\x21").send(1, SYN, b"\x45\x06\x01\x21\x22\x23")
    c.seq = [c.seq[0] - 1, c.seq[1] - 1]
    c.send(0, SYN | ACK, b"\x45\x04\x22\x21").send(1, SYN | ACK, b"\x45\x06\x01\x21\x22\x23")
    c.send(0, ACK | PSH, b"", INIT1).send(1, ACK | PSH, b"", INIT2)
    p = ctx.capture("simopen.pcap", c.frames)
    r, conns, _ = ctx.json(p)
    check(len(conns) == 1, "one connection", r.out)
    check(conns[0]["open"] == "simultaneous" and conns[0]["status"] == "encrypted" and
          conns[0]["tep"] == 0x22, "outcome", conns[0])


@case
def midstream_and_synack_first(ctx):
    c = Conn("192.0.2.1", "192.0.2.2", 40000, 443)
    c.send(0, ACK, b"", b"x").send(1, ACK, b"", b"y").send(0, ACK | FIN)
    d = Conn("192.0.2.5", "192.0.2.6", 40002, 443, ts=3.0)
    d.send(1, SYN | ACK, b"\x45\x04\x01\x21").send(0, ACK, b"\x45\x02")
    p = ctx.capture("mid.pcap", c.frames + d.frames)
    r, conns, summary = ctx.json(p)
    check(summary["segments"]["midstream"] == 3, "midstream segments counted", summary)
    check([(x["first_frame"], x["client"], x["status"], x["findings"]) for x in conns] ==
          [(4, "192.0.2.5:40002", "incomplete", [])], "SYN-ACK first", r.out)


@case
def reset(ctx):
    c = Conn("192.0.2.1", "192.0.2.2", 40000, 443)
    c.send(0, SYN, b"\x45\x03\x21").send(1, RST | ACK)
    c.send(0, SYN, b"\x45\x03\x21", seq=c.seq[0] - 1)  # retransmission after the verdict
    p = ctx.capture("rst.pcap", c.frames)
    r, conns, summary = ctx.json(p)
    check([(x["first_frame"], x["status"]) for x in conns] == [(1, "incomplete")], "RST",
          r.out)
    check(summary["segments"]["late"] == 1, "late SYN", summary)


@case
def idle_expiry(ctx):
    a = Conn("192.0.2.1", "192.0.2.2", 40000, 443, ts=1.0)
    a.send(0, SYN, b"\x45\x03\x21")
    b = eno_success(Conn("192.0.2.3", "192.0.2.4", 40001, 443, ts=100.0))
    a.ts = 200.0
    a.send(1, SYN | ACK, b"\x45\x04\x01\x21")  # too late: a new, incomplete connection
    p = ctx.capture("idle.pcap", a.frames[:1] + b.frames + a.frames[1:])
    r, conns, summary = ctx.json("--idle-timeout", "30", p)
    check([(x["first_frame"], x["status"]) for x in conns] ==
          [(1, "incomplete"), (2, "encrypted"), (7, "incomplete")], "expiry order", r.out)
    check(summary["expired"] == 1, "expired count", summary)
    r, conns, summary = ctx.json(p)
    check([(x["first_frame"], x["status"]) for x in conns] ==
          [(2, "encrypted"), (1, "incomplete")], "no expiry with the default", r.out)
    check(conns[1]["frames"]["synack"] == 7 and summary["expired"] == 0,
          "the SYN-ACK joins its connection", conns[1], summary)


@case
def multiple_files(ctx):
    p = ctx.capture("a.pcap", two_connections())
    q = ctx.capture("b.pcapng", two_connections(), ng=True)
    r, conns, summary = ctx.json(p, q)
    check([(c["file"], c["first_frame"], c["id"]) for c in conns] ==
          [(p, 1, 1), (p, 6, 2), (q, 1, 3), (q, 6, 4)], "connections", r.out)
    check(summary["files"] == 2 and summary["packets"] == 20, "summary", summary)
    r, conns, summary = ctx.json(p, ctx.path("missing.pcap"), q)
    check(r.returncode == 2 and len(conns) == 4 and "missing.pcap" in r.err,
          "a bad file among good ones", r.err)


@case
def memory_bounded(ctx):
    """100,000 half-open connections through a cap of 1,000: the dropped ones
    are counted, and peak memory does not grow with the number of
    connections."""
    def write(path, n):
        # Streamed, so that this process stays small: a child's peak RSS
        # counts the parent's memory at fork time.
        with open(path, "wb") as out:
            out.write(pcap_bytes([]))
            for i in range(n):
                src = "10.%d.%d.%d" % (i >> 16 & 255, i >> 8 & 255, i & 255)
                f = ether(ipv4(src, "192.0.2.2", tcp(1024 + i % 60000, 443, SYN, i, 0,
                                                      b"\x45\x03\x21")))
                out.write(pcap_bytes([(1.0 + i * 1e-4, f, len(f))])[24:])

    def peak_rss_kb(*args):
        env = dict(os.environ)
        # Keep ASan's quarantine from holding every freed connection.
        env["ASAN_OPTIONS"] = env.get("ASAN_OPTIONS", "") + ":quarantine_size_mb=1"
        with open(ctx.path("out.jsonl"), "wb") as out:
            child = subprocess.Popen([ctx.enoscope] + list(args), stdout=out, env=env)
            _, status, usage = os.wait4(child.pid, 0)
            child.returncode = os.waitstatus_to_exitcode(status)
        with open(ctx.path("out.jsonl"), encoding="utf-8") as f:
            lines = f.read().splitlines()
        return child.returncode, usage.ru_maxrss, lines

    small, big = ctx.path("2k.pcap"), ctx.path("100k.pcap")
    write(small, 2000)
    write(big, 100000)
    rc, rss_small, _ = peak_rss_kb("check", "--format", "json", "--max-connections", "1000",
                                   small)
    check(rc == 0, "small run exit %d" % rc)
    rc, rss_big, lines = peak_rss_kb("check", "--format", "json", "--max-connections", "1000",
                                     big)
    check(rc == 0, "big run exit %d" % rc)
    summary = json.loads(lines[-1])
    check(summary["dropped"] == 99000 and summary["connections"] == 1000 and
          len(lines) == 1001, "dropped count", lines[-1])
    growth = rss_big - rss_small
    print("peak RSS: %d KiB for 2,000 connections, %d KiB for 100,000" % (rss_small, rss_big))
    check(growth < 16 * 1024, "peak RSS grew by %d KiB" % growth)
    t = ctx.run("check", "--max-connections", "1000", big)
    check("99000 connections dropped by --max-connections" in t.out and "99000" in t.err,
          "dropped count in the text report", t.out[-600:], t.err)
