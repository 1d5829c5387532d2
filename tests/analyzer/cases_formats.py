# SPDX-License-Identifier: GPL-2.0-or-later
"""Capture formats beyond libpcap's: pcapng with interfaces of different
link types and snapshot lengths (as mergecap writes), a pcapng with only a
section header, and compressed captures."""
import gzip
import shutil
import struct
import subprocess

from pcapwrite import (DLT_EN10MB, DLT_LINUX_SLL2, DLT_RAW, Conn, eno_success, pcap_bytes,
                       sll2, write_pcap, write_pcapng)
from harness import case, check

LINKTYPE_RAW = 101


def block(btype, body):
    while len(body) % 4:
        body += b"\0"
    n = 12 + len(body)
    return struct.pack("<II", btype, n) + body + struct.pack("<I", n)


def pcapng_multi(interfaces, frames):
    """interfaces: [(linktype, snaplen)]; frames: [(interface, ts, data, wire)]."""
    out = [block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1))]
    for lt, snap in interfaces:
        out.append(block(1, struct.pack("<HHI", lt, 0, snap)))
    for ifc, ts, data, wire in frames:
        t = int(round(ts * 1e6))
        out.append(block(6, struct.pack("<IIIII", ifc, t >> 32, t & 0xFFFFFFFF, len(data),
                                        wire) + data))
    return b"".join(out)


def three_links():
    """One ENO success per link type: Ethernet, raw IP, Linux SLL2."""
    eth = eno_success(Conn("192.0.2.1", "192.0.2.2", 40001, 443, ts=1.0)).frames
    raw = eno_success(Conn("192.0.2.3", "192.0.2.4", 40002, 443, ts=2.0,
                           link=lambda ip: ip)).frames
    cooked = eno_success(Conn("2001:db8::1", "2001:db8::2", 40003, 443, ts=3.0,
                              link=sll2)).frames
    return eth, raw, cooked


def expect_three(ctx, r, conns, summary, what):
    check(r.returncode == 0, "%s: exit %d" % (what, r.returncode), r.err)
    check(sorted(c["client"] for c in conns) ==
          ["192.0.2.1:40001", "192.0.2.3:40002", "[2001:db8::1]:40003"],
          "%s: one connection per interface" % what, r.out)
    check(all(c["status"] == "encrypted" and not c["findings"] for c in conns),
          "%s: each decoded by its own link type" % what, r.out)
    check(summary["packets"] == 15 and summary["skipped"]["not_tcp"] == 0 and
          summary["skipped"]["malformed"] == 0, "%s: counts" % what, summary)


@case
def pcapng_link_types(ctx):
    eth, raw, cooked = three_links()
    frames = ([(0, *f) for f in eth] + [(1, *f) for f in raw] + [(2, *f) for f in cooked])
    frames.sort(key=lambda f: f[1])
    p = ctx.path("multi.pcapng")
    with open(p, "wb") as f:
        f.write(pcapng_multi([(DLT_EN10MB, 65535), (LINKTYPE_RAW, 128),
                              (DLT_LINUX_SLL2, 262144)], frames))
    r, conns, summary = ctx.json(p)
    expect_three(ctx, r, conns, summary, "three interfaces")
    # Interleaved frame numbers are Wireshark's: the file's record order.
    check([c["first_frame"] for c in conns] == [1, 6, 11], "frame numbers", r.out)
    with open(p, "rb") as f:
        r, conns, summary = ctx.json("-", stdin=f)
    expect_three(ctx, r, conns, summary, "on standard input")
    # The filter is compiled for each interface's link type.
    r, conns, _ = ctx.json("-f", "tcp port 40002 or tcp port 40003", p)
    check(r.returncode == 0 and len(conns) == 2, "filter over link types", r.out, r.err)


@case
def mergecap_output(ctx):
    mergecap = shutil.which("mergecap")
    check(mergecap is not None, "mergecap (wireshark-common) is needed")
    eth, raw, cooked = three_links()
    a, b, c = ctx.path("eth.pcap"), ctx.path("raw.pcap"), ctx.path("sll2.pcapng")
    write_pcap(a, eth, DLT_EN10MB, snaplen=65535)
    write_pcap(b, raw, DLT_RAW, snaplen=1500)
    write_pcapng(c, cooked, DLT_LINUX_SLL2, snaplen=262144)
    out = ctx.path("merged.pcapng")
    subprocess.run([mergecap, "-w", out, a, b, c], check=True)
    r, conns, summary = ctx.json(out)
    expect_three(ctx, r, conns, summary, "mergecap output")


@case
def pcapng_section_header_only(ctx):
    p = ctx.path("shb.pcapng")
    with open(p, "wb") as f:
        f.write(block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1)))
    r, conns, summary = ctx.json(p)
    check(r.returncode == 0, "exit %d" % r.returncode, r.err)
    check(conns == [] and summary["packets"] == 0 and summary["files"] == 1, "summary",
          r.out)
    check("no packets" in r.err and "corrupt" not in r.err, "reported as empty", r.err)


def compressors():
    yield "gzip", ".gz", lambda data: gzip.compress(data)
    for tool, suffix in (("zstd", ".zst"), ("lz4", ".lz4")):
        if shutil.which(tool):
            yield tool, suffix, lambda data, t=tool: subprocess.run(
                [t, "-c", "-q"], input=data, stdout=subprocess.PIPE, check=True).stdout


@case
def compressed(ctx):
    eth, raw, cooked = three_links()
    plain = pcap_bytes(eth)
    ng = pcapng_multi([(DLT_EN10MB, 65535)], [(0, *f) for f in eth])
    ran = []
    for tool, suffix, compress in compressors():
        for kind, data in (("pcap", plain), ("pcapng", ng)):
            p = ctx.path("c." + kind + suffix)
            with open(p, "wb") as f:
                f.write(compress(data))
            r, conns, summary = ctx.json(p)
            check(r.returncode == 0 and len(conns) == 1 and conns[0]["status"] == "encrypted"
                  and summary["packets"] == 5, "%s %s" % (tool, kind), r.out, r.err)
            with open(p, "rb") as f:
                r, conns, _ = ctx.json("-", stdin=f)
            check(r.returncode == 0 and len(conns) == 1, "%s %s on stdin" % (tool, kind),
                  r.out, r.err)
        ran.append(tool)
    print("compressions read: " + ", ".join(ran))
    # A cut gzip stream is a truncated capture, not a clean end.
    p = ctx.path("cut.pcap.gz")
    with open(p, "wb") as f:
        f.write(gzip.compress(pcap_bytes(eth + raw))[:-40])
    r = ctx.run("check", p)
    check(r.returncode == 2 and p in r.err, "cut gzip: exit %d" % r.returncode, r.err)
