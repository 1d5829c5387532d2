# SPDX-License-Identifier: GPL-2.0-or-later
"""Link layers, IP variants, fragments, snapshot truncation, mutated input."""
import json
import os
import random

from pcapwrite import (ACK, DLT_EN10MB, DLT_LINUX_SLL, DLT_LINUX_SLL2, DLT_LOOP, DLT_NULL,
                       DLT_RAW, DLT_USER0, INIT1, INIT2, LINKS, PSH, SYN, Conn, eno_success,
                       ether, handshake, ipv4, ipv6, pcap_bytes, tcp)
from harness import case, check, findings, two_connections


def expect_success(ctx, name, frames, linktype, client="192.0.2.1:40000", ng=False):
    p = ctx.capture(name, frames, linktype, ng)
    r, conns, summary = ctx.json(p)
    check(r.returncode == 0 and len(conns) == 1, name + ": one connection", r.out, r.err)
    c = conns[0]
    check(c["status"] == "encrypted" and c["tep"] == 0x21 and c["findings"] == [] and
          c["client"] == client, name + ": outcome", c)


@case
def link_layers(ctx):
    qinq = lambda ip: ether(ip, vlans=[(0x88A8, 100), (0x8100, 200)])  # noqa: E731
    for name, link, dlt in [("ethernet", LINKS[DLT_EN10MB], DLT_EN10MB),
                            ("vlan", qinq, DLT_EN10MB),
                            ("sll", LINKS[DLT_LINUX_SLL], DLT_LINUX_SLL),
                            ("sll2", LINKS[DLT_LINUX_SLL2], DLT_LINUX_SLL2),
                            ("raw", LINKS[DLT_RAW], DLT_RAW),
                            ("null", LINKS[DLT_NULL], DLT_NULL),
                            ("loop", LINKS[DLT_LOOP], DLT_LOOP)]:
        c = eno_success(Conn("192.0.2.1", "192.0.2.2", 40000, 443, link=link))
        expect_success(ctx, name + ".pcap", c.frames, dlt)
        expect_success(ctx, name + ".pcapng", c.frames, dlt, ng=True)


@case
def ip_variants(ctx):
    c = eno_success(Conn("192.0.2.1", "192.0.2.2", 40000, 443,
                         ip_options=bytes.fromhex("01010100") + bytes.fromhex("94040000")))
    expect_success(ctx, "ipv4-options.pcap", c.frames, DLT_EN10MB)
    ext = [(0, b"\x01\x00"), (60, b"\x01\x02\x00\x00")]  # hop-by-hop, destination options
    for link, dlt in [(LINKS[DLT_EN10MB], DLT_EN10MB), (LINKS[DLT_NULL], DLT_NULL)]:
        c = eno_success(Conn("2001:db8::1", "2001:db8::2", 40000, 443, link=link, ip6_ext=ext))
        expect_success(ctx, "ipv6-ext-%d.pcap" % dlt, c.frames, dlt,
                       client="[2001:db8::1]:40000")


@case
def unsupported_link(ctx):
    c = eno_success(Conn("192.0.2.1", "192.0.2.2", 40000, 443, link=LINKS[DLT_USER0]))
    p = ctx.capture("user0.pcap", c.frames, DLT_USER0)
    r, conns, summary = ctx.json(p)
    check(r.returncode == 0, "exit %d" % r.returncode, r.err)
    check("link type 147" in r.err and "not supported" in r.err and p in r.err, "report",
          r.err)
    check(conns == [] and summary["skipped"]["unsupported_link"] == 5, "skipped", r.out)


@case
def fragments(ctx):
    c = Conn("192.0.2.1", "192.0.2.2", 40000, 443)
    c.send(0, SYN, b"\x45\x03\x21").send(1, SYN | ACK, b"\x45\x04\x01\x21")
    # A later fragment of some other datagram (offset 8 bytes), IPv4 and IPv6.
    seg = tcp(40000, 443, ACK, 1, 1, b"\x45\x02", bytes(32))
    frag4 = ether(ipv4("192.0.2.1", "192.0.2.2", seg[8:], frag=1, ident=7))
    frag6 = ether(ipv6("2001:db8::1", "2001:db8::2", b"\x06\x00\x00\x08\x00\x00\x00\x07" +
                       seg[8:])[:6] + b"\x2c" + ipv6("2001:db8::1", "2001:db8::2",
                                                    b"\x06\x00\x00\x08\x00\x00\x00\x07" +
                                                    seg[8:])[7:])
    # The first fragment of A's completing ACK: it carries the whole TCP header.
    ack = tcp(40000, 443, ACK, c.seq[0], c.seq[1], b"\x45\x02", INIT1 * 2)
    first = ether(ipv4("192.0.2.1", "192.0.2.2", ack[:48], frag=0x2000, ident=9))
    rest = ether(ipv4("192.0.2.1", "192.0.2.2", ack[48:], frag=6, ident=9))
    frames = c.frames + [(5.0, frag4, len(frag4)), (5.1, frag6, len(frag6)),
                         (5.2, first, len(first)), (5.3, rest, len(rest))]
    p = ctx.capture("frag.pcap", frames)
    r, conns, summary = ctx.json(p)
    check(r.returncode == 0 and len(conns) == 1, "one connection", r.out, r.err)
    check(conns[0]["status"] == "encrypted" and conns[0]["findings"] == [], "no false finding",
          conns[0])
    check(summary["skipped"]["fragments"] == 3 and summary["segments"]["first_fragments"] == 1
          and summary["segments"]["midstream"] == 0,
          "fragments counted", summary)


@case
def snaplen_truncated(ctx):
    c = Conn("192.0.2.1", "192.0.2.2", 40000, 443)
    c.send(0, SYN, b"\x02\x04\x05\xb4\x45\x04\x21\x22", caplen=14 + 20 + 20 + 5)
    c.send(1, SYN | ACK, b"\x45\x04\x01\x21").send(0, ACK, b"\x45\x02")
    c.send(0, ACK | PSH, b"", INIT1, caplen=14 + 20 + 10)  # TCP header cut
    c.send(1, ACK | PSH, b"", INIT2)
    p = ctx.capture("snap.pcap", c.frames)
    r, conns, summary = ctx.json(p)
    check(r.returncode == 0 and len(conns) == 1, "one connection", r.out, r.err)
    check(conns[0]["status"] == "incomplete", "status", conns[0])
    check(findings(conns[0]) == [("capture.options_truncated", 1)], "only the truncation note",
          conns[0])
    check(summary["skipped"]["truncated"] == 1, "cut header counted", summary)


@case
def mutated_inputs(ctx):
    """Captures with random bytes changed (headers, lengths, options) give
    exit status 0, 1 or 2 and a message, never a crash or a sanitizer
    report."""
    rnd = random.Random(69)
    c = Conn("192.0.2.1", "192.0.2.2", 40000, 443)
    handshake(c, b"\x45\x05\x21\x81\xa2" + b"\x45\x02", b"\x45\x04\x01\x21", b"\x45\x02")
    v6 = eno_success(Conn("2001:db8::1", "2001:db8::2", 40000, 443,
                          ip6_ext=[(0, b"\x01\x00")]))
    base = pcap_bytes(c.frames + v6.frames + two_connections())
    for i in range(120):
        data = bytearray(base)
        for _ in range(rnd.randint(1, 8)):
            at = rnd.randrange(24, len(data))
            data[at] = rnd.randrange(256)
        if i % 10 == 0:
            data = data[:rnd.randrange(24, len(data))]
        p = ctx.path("m%d.pcap" % i)
        with open(p, "wb") as f:
            f.write(data)
        r = ctx.run("check", "--format", "json", p)
        check(r.returncode in (0, 1, 2), "%s: exit %d" % (p, r.returncode), r.err)
        check("Sanitizer" not in r.err and "runtime error" not in r.err, p + ": sanitizer",
              r.err)
        check(r.returncode != 2 or p in r.err, p + ": fault without a message", r.err)
        os.remove(p)
