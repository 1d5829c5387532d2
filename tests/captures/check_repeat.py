#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Checks enogen's repeat blocks: usage: check_repeat.py ENOGEN repeat.scn WORKDIR

Repetition i of a block must use client port 30000 + i % 16384, client
address 10.9.0.1 + i // 16384, ISNs 100/200 + i * 2654435761 (mod 2^32);
timestamps never go backwards; -r N overrides the count; with "tick T"
every packet's time is T microseconds per line instead of 1000."""
import ipaddress
import os
import struct
import subprocess
import sys

STEP = 2654435761


def packets(path):
    data = open(path, "rb").read()
    order = "<" if data[:4] == b"\xd4\xc3\xb2\xa1" else ">"
    magic, _, _, _, _, _, linktype = struct.unpack(order + "IHHiIII", data[:24])
    if magic != 0xA1B2C3D4 or linktype != 1:
        raise SystemExit(f"{path}: not a microsecond Ethernet pcap")
    off = 24
    while off < len(data):
        sec, usec, caplen, length = struct.unpack(order + "IIII", data[off:off + 16])
        yield sec * 1000000 + usec, data[off + 16:off + 16 + caplen]
        off += 16 + caplen


def run(enogen, scn, out, count):
    args = [enogen, "-o", out, scn] + (["-r", str(count)] if count else [])
    subprocess.run(args, check=True)
    syns, last_ts = [], 0
    for ts, pkt in packets(out):
        if ts < last_ts:
            raise SystemExit(f"{out}: timestamp goes backwards")
        last_ts = ts
        ip = pkt[14:]
        tcp = ip[20:]
        src = ipaddress.IPv4Address(ip[12:16])
        sport, _, seq = struct.unpack("!HHI", tcp[:8])
        flags = tcp[13]
        syns.append((flags, src, sport, seq))
    return syns


def check(enogen, scn, out, count):
    segs = run(enogen, scn, out, count)
    n = count or 3
    if len(segs) != 2 * n + 2:
        raise SystemExit(f"{out}: {len(segs)} packets, expected {2 * n + 2}")
    if segs[0][1:3] != (ipaddress.IPv4Address("192.0.2.1"), 1000):
        raise SystemExit("the connection before the block changed")
    tuples = set()
    for i in range(n):
        flags, src, sport, seq = segs[1 + 2 * i]
        want_src = ipaddress.IPv4Address("10.9.0.1") + i // 16384
        want = (0x02, want_src, 30000 + i % 16384, (100 + i * STEP) % 2**32)
        if (flags, src, sport, seq) != want:
            raise SystemExit(f"repetition {i}: got {(flags, src, sport, seq)}, want {want}")
        bflags, _, _, bseq = segs[2 + 2 * i]
        if bflags != 0x12 or bseq != (200 + i * STEP) % 2**32:
            raise SystemExit(f"repetition {i}: bad SYN-ACK")
        tuples.add((src, sport))
    if len(tuples) != n:
        raise SystemExit("client address/port pairs repeat")


BASE_USEC = 1700000000 * 1000000


def check_tick(enogen, scn, work):
    """The same scenario with "tick 7": each packet's offset from the
    scenario's time base is 7/1000 of the default one."""
    lines = open(scn).read().splitlines()
    # In place of a comment line, so that line numbers stay.
    at = next(i for i, line in enumerate(lines) if line.startswith("# ") and i > 0)
    ticked = os.path.join(work, "tick.scn")
    with open(ticked, "w") as f:
        f.write("\n".join(lines[:at] + ["tick 7"] + lines[at + 1:]) + "\n")
    default, fast = os.path.join(work, "t-default.pcap"), os.path.join(work, "t-7.pcap")
    subprocess.run([enogen, "-o", default, "-r", "20000", scn], check=True)
    subprocess.run([enogen, "-o", fast, "-r", "20000", ticked], check=True)
    n = 0
    for (t0, p0), (t1, p1) in zip(packets(default), packets(fast)):
        if (t1 - BASE_USEC) * 1000 != (t0 - BASE_USEC) * 7:
            raise SystemExit(f"tick 7: packet {n + 1} at +{t1 - BASE_USEC} us, default "
                             f"+{t0 - BASE_USEC} us")
        n += 1
    if n != 2 * 20000 + 2:
        raise SystemExit(f"tick 7: {n} packets compared")


def main():
    enogen, scn, work = sys.argv[1:4]
    os.makedirs(work, exist_ok=True)
    check(enogen, scn, os.path.join(work, "default.pcap"), 0)
    check(enogen, scn, os.path.join(work, "big.pcap"), 40000)
    check_tick(enogen, scn, work)
    print("repeat blocks and tick ok")


if __name__ == "__main__":
    main()
