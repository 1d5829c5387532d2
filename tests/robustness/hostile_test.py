#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Hostile inputs for `enoscope check`: each case checks the exit code, the
message and that what was read before a fault is still reported.

Usage: hostile_test.py ENOSCOPE SCRATCH_DIR [CASE...]
"""
import json
import os
import struct
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from pcapwrite import ACK, SYN, Conn, eno_success, pcap_bytes  # noqa: E402

CASES = []


def case(fn):
    CASES.append(fn)
    return fn


class Failure(Exception):
    pass


def check(cond, what, *detail):
    if not cond:
        raise Failure(what + "".join("\n  " + str(d)[:2000] for d in detail))


class Ctx:
    def __init__(self, enoscope, scratch):
        self.enoscope, self.scratch = enoscope, scratch

    def write(self, name, data):
        p = os.path.join(self.scratch, name)
        with open(p, "wb") as f:
            f.write(data)
        return p

    def run(self, path, *args):
        r = subprocess.run([self.enoscope, "check", "--format", "json", *args, path],
                           capture_output=True, text=True, timeout=600)
        check(r.returncode in (0, 1, 2), "exit %d (a crash?)" % r.returncode, r.stderr)
        check("Sanitizer" not in r.stderr and "runtime error" not in r.stderr,
              "sanitizer report", r.stderr)
        lines = [json.loads(x) for x in r.stdout.splitlines()]
        conns = [o for o in lines if o["type"] == "connection"]
        summary = [o for o in lines if o["type"] == "summary"]
        check(len(summary) == 1, "one summary line", r.stdout[-500:])
        return r, conns, summary[0]


def handshake_with_syn_option(opt):
    c = Conn("192.0.2.1", "192.0.2.2", 40000, 443)
    c.send(0, SYN, opt).send(1, SYN | ACK, b"\x45\x04\x01\x21").send(0, ACK, b"\x45\x02")
    return pcap_bytes(c.frames)


def expect_invalid(ctx, name, opt, rule):
    """A SYN whose ENO option is malformed: the option is invalid, ENO is
    disabled, the rule is reported at frame 1, exit 1 (error finding)."""
    r, conns, summary = ctx.run(ctx.write(name + ".pcap", handshake_with_syn_option(opt)))
    check(r.returncode == 1, "exit %d, expected 1 (error findings)" % r.returncode, r.stderr)
    check(r.stderr == "", "no message on stderr for a readable capture", r.stderr)
    check(len(conns) == 1, "one connection", r.stdout)
    c = conns[0]
    check(c["status"] == "disabled" and c["reason"] == "invalid-option",
          "disabled/invalid-option", c)
    hits = [f for f in c["findings"] if f["rule"] == rule]
    check(hits and hits[0]["frames"][0] == 1 and hits[0]["severity"] == "error",
          "%s at frame 1" % rule, c["findings"])


@case
def option_length_0(ctx):
    expect_invalid(ctx, "len0", b"\x45\x00", "syntax.option_too_short")


@case
def option_length_1(ctx):
    expect_invalid(ctx, "len1", b"\x45\x01", "syntax.option_too_short")


@case
def option_length_255(ctx):
    expect_invalid(ctx, "len255", b"\x45\xff\x21", "syntax.option_overrun")


@case
def option_runs_past_header(ctx):
    # Length 40 in a 12-byte option area (the header ends first).
    expect_invalid(ctx, "past", b"\x45\x28" + bytes(10), "syntax.option_overrun")


@case
def length_bytes_chained_to_end(ctx):
    # v=1 suboptions each followed by a length byte, the last length byte
    # being the option's last byte: it announces data that is not there.
    expect_invalid(ctx, "chain", b"\x45\x0a\x21\x81\x01\xa0\x82\x01\xa1\x84",
                   "syntax.length_byte_dangling")


def record(caplen, wirelen, data, ts=9):
    return struct.pack("<IIII", ts, 0, caplen, wirelen) + data


def good_then(tail, name, ctx):
    frames = eno_success(Conn("192.0.2.1", "192.0.2.2", 40000, 443)).frames
    return ctx.run(ctx.write(name, pcap_bytes(frames) + tail))


@case
def record_caplen_above_len(ctx):
    # 60 bytes captured of a 40-byte packet: contradictory, not fatal.
    r, conns, summary = good_then(record(60, 40, bytes(60)), "caplen.pcap", ctx)
    check(r.returncode == 0, "exit %d, expected 0" % r.returncode, r.stderr)
    check("frame 6" in r.stderr and "60" in r.stderr and "40" in r.stderr
          and "warning" in r.stderr, "a warning naming frame 6 and both lengths", r.stderr)
    check([c["first_frame"] for c in conns] == [1] and conns[0]["status"] == "encrypted",
          "the connection before it", r.stdout)
    check(summary["packets"] == 6, "six frames read", summary)


def expect_fault_after(ctx, name, tail, words):
    r, conns, summary = good_then(tail, name, ctx)
    check(r.returncode == 2, "exit %d, expected 2" % r.returncode, r.stderr)
    check(name in r.stderr and "after frame 5" in r.stderr, "message names file and frame",
          r.stderr)
    for w in words:
        check(w in r.stderr, "message says %r" % w, r.stderr)
    check([c["first_frame"] for c in conns] == [1] and conns[0]["status"] == "encrypted",
          "the connection read before the fault is reported", r.stdout)
    check(summary["packets"] == 5 and summary["connections"] == 1, "summary", summary)


@case
def record_absurd_caplen(ctx):
    expect_fault_after(ctx, "absurd.pcap", record(0x7FFFFFFF, 0x7FFFFFFF, bytes(64)),
                       ["2147483647"])


@case
def record_caplen_above_snaplen(ctx):
    expect_fault_after(ctx, "snap.pcap", record(300000, 300000, bytes(64)), ["300000"])


@case
def record_cut_short(ctx):
    expect_fault_after(ctx, "short.pcap", record(1000, 1000, bytes(100)), ["truncated"])


def pcapng_block(btype, body):
    while len(body) % 4:
        body += b"\0"
    n = 12 + len(body)
    return struct.pack("<II", btype, n) + body + struct.pack("<I", n)


def pcapng(frames, extra_after=1):
    blocks = [pcapng_block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1)),
              pcapng_block(1, struct.pack("<HHI", 1, 0, 65535))]
    for i, (ts, data, wire) in enumerate(frames):
        t = int(round(ts * 1e6))
        blocks.append(pcapng_block(6, struct.pack("<IIIII", 0, t >> 32, t & 0xFFFFFFFF,
                                                  len(data), wire) + data))
        if i + 1 == extra_after:
            # Unknown block types (a local-use one and an unassigned one).
            blocks.append(pcapng_block(0x80001234, b"vendor data"))
            blocks.append(pcapng_block(0x00000BAD, bytes(24)))
    return b"".join(blocks)


@case
def pcapng_unknown_blocks(ctx):
    frames = eno_success(Conn("192.0.2.1", "192.0.2.2", 40000, 443)).frames
    r, conns, summary = ctx.run(ctx.write("unknown.pcapng", pcapng(frames)))
    check(r.returncode == 0, "exit %d, expected 0" % r.returncode, r.stderr)
    check(len(conns) == 1 and conns[0]["status"] == "encrypted", "connection", r.stdout)
    # The unknown blocks are one record, a frame as Wireshark numbers them.
    check(summary["packets"] == 6 and summary["segments"]["tcp"] == 5,
          "every packet block read", summary)
    check(conns[0]["frames"]["synack"] == 3, "frames numbered as in Wireshark", conns[0])


@case
def pcapng_block_length_absurd(ctx):
    frames = eno_success(Conn("192.0.2.1", "192.0.2.2", 40000, 443)).frames
    data = pcapng(frames, extra_after=0) + struct.pack("<II", 0x80001234, 0x7FFFFFF0) + bytes(8)
    r, conns, summary = ctx.run(ctx.write("bigblock.pcapng", data))
    check(r.returncode == 2, "exit %d, expected 2" % r.returncode, r.stderr)
    check("bigblock.pcapng" in r.stderr and "after frame 5" in r.stderr, "message", r.stderr)
    check(len(conns) == 1 and conns[0]["status"] == "encrypted", "connection kept", r.stdout)


@case
def ten_thousand_connections_one_tuple(ctx):
    frames, ts = [], 1.0
    for i in range(10000):
        c = Conn("192.0.2.1", "192.0.2.2", 40000, 443, isn=(1000 + i * 100003, 5000 + i), ts=ts)
        c.send(0, SYN, b"\x45\x03\x21").send(1, SYN | ACK, b"\x45\x04\x01\x21")
        c.send(0, ACK, b"\x45\x02")
        frames += c.frames
        ts = c.ts + 0.001
    r, conns, summary = ctx.run(ctx.write("reuse.pcap", pcap_bytes(frames)))
    check(r.returncode == 0, "exit %d" % r.returncode, r.stderr)
    check([c["first_frame"] for c in conns] == list(range(1, 30000, 3)),
          "each reuse is its own connection, starting at its SYN", len(conns))
    check(all(c["status"] == "encrypted" for c in conns), "all encrypted")
    check(summary["connections"] == 10000 and summary["dropped"] == 0, "summary", summary)


@case
def syn_flood(ctx):
    # 20,000 SYN-only from distinct sources, a bounded tracker (1000), and a
    # real handshake in the middle of it.
    frames = []
    for i in range(20000):
        c = Conn("198.51.100.%d" % (i % 250 + 1), "192.0.2.2", 1024 + i // 250, 443,
                 isn=(i, 0), ts=1.0 + i * 1e-5)
        c.send(0, SYN, b"\x45\x03\x21")
        frames += c.frames
        if i == 10000:
            frames += eno_success(Conn("192.0.2.1", "192.0.2.2", 40000, 443, ts=1.1)).frames
    r, conns, summary = ctx.run(ctx.write("flood.pcap", pcap_bytes(frames)),
                                "--max-connections", "1000")
    check(r.returncode == 0, "exit %d" % r.returncode, r.stderr)
    check(summary["packets"] == 20005, "every frame read", summary)
    check(summary["connections"] + summary["dropped"] == 20001,
          "each connection either reported or counted as dropped", summary)
    if summary["dropped"]:
        check("dropped" in r.stderr and "--max-connections" in r.stderr,
              "a warning says how to keep dropped connections", r.stderr)
    ok = [c for c in conns if c["status"] == "encrypted"]
    check(len(ok) == 1 and ok[0]["first_frame"] == 10002, "the real handshake is judged",
          len(ok))


def main():
    enoscope, scratch = sys.argv[1], sys.argv[2]
    names = sys.argv[3:]
    os.makedirs(scratch, exist_ok=True)
    ctx = Ctx(enoscope, scratch)
    failed = 0
    for fn in CASES:
        if names and fn.__name__ not in names:
            continue
        try:
            fn(ctx)
            print("ok   %s" % fn.__name__)
        except Failure as e:
            failed += 1
            print("FAIL %s: %s" % (fn.__name__, e))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
