# SPDX-License-Identifier: GPL-2.0-or-later
"""The further link types: PPP, PPP_SERIAL, PPP_ETHER, C_HDLC, IPoIB, PPI,
802.11 and radiotap, NFLOG, PKTAP, ARCNET; and AH in IPv4."""
import struct

from pcapwrite import DLT_EN10MB, Conn, eno_success, ether, ipv4
from harness import case, check
from cases_decode import expect_success

LLC_SNAP = bytes.fromhex("aaaa03000000")


def proto6(ip):
    return ip[0] >> 4 == 6


def ppp(ip, framing=True, compressed=False):
    head = b"\xff\x03" if framing else b""
    if compressed:
        return head + (b"\x57" if proto6(ip) else b"\x21") + ip
    return head + (b"\x00\x57" if proto6(ip) else b"\x00\x21") + ip


def ethertype(ip):
    return 0x86DD if proto6(ip) else 0x0800


def chdlc(ip):
    return struct.pack("!BBH", 0x0F, 0x00, ethertype(ip)) + ip


def pppoe(ip):
    body = (b"\x00\x57" if proto6(ip) else b"\x00\x21") + ip
    return struct.pack("!BBHH", 0x11, 0, 0x1234, len(body)) + body


def ipoib(ip):
    return struct.pack("!HH", ethertype(ip), 0) + ip


def wlan(ip, qos=False):
    fc = b"\x88" if qos else b"\x08"   # data (QoS data), to-DS
    hdr = fc + b"\x01" + bytes(2) + bytes(18) + bytes(2) + (b"\x00\x00" if qos else b"")
    return hdr + LLC_SNAP + struct.pack("!H", ethertype(ip)) + ip


def radiotap(ip):
    return struct.pack("<BBHI", 0, 0, 8, 0) + wlan(ip, qos=True)


def ppi(inner_dlt, frame):
    return struct.pack("<BBHI", 0, 0, 8, inner_dlt) + frame


def pktap(inner_dlt, frame):
    hdr = struct.pack("<II", 108, inner_dlt) + bytes(100)
    return hdr + frame


def nflog(ip, big_endian=False):
    fam = 10 if proto6(ip) else 2
    order = ">" if big_endian else "<"
    prefix = struct.pack(order + "HH", 8, 1) + b"\x08\x00\x00\x00"   # hardware header TLV
    payload = struct.pack(order + "HH", 4 + len(ip), 9) + ip
    while len(payload) % 4:
        payload += b"\0"
    return struct.pack("!BBH", fam, 0, 0) + prefix + payload


def arcnet(ip, linux=False, rfc1051=False):
    head = b"\x01\x02" + (b"\x00\x00" if linux else b"")
    if rfc1051:
        return head + b"\xf0" + ip
    return head + (b"\xc4" if proto6(ip) else b"\xd4") + b"\x00" + b"\x00\x01" + ip


LINKS = [
    ("ppp", 9, lambda ip: ppp(ip)),
    ("ppp-bare", 9, lambda ip: ppp(ip, framing=False)),
    ("ppp-pfc", 9, lambda ip: ppp(ip, compressed=True)),
    ("ppp-serial", 50, lambda ip: ppp(ip)),
    ("ppp-serial-chdlc", 50, chdlc),
    ("ppp-ether", 51, pppoe),
    ("c-hdlc", 104, chdlc),
    ("ipoib", 242, ipoib),
    ("80211", 105, lambda ip: wlan(ip)),
    ("radiotap", 127, radiotap),
    ("ppi-80211", 192, lambda ip: ppi(105, wlan(ip))),
    ("ppi-ethernet", 192, lambda ip: ppi(1, ether(ip))),
    ("nflog", 239, lambda ip: nflog(ip)),
    ("nflog-be", 239, lambda ip: nflog(ip, big_endian=True)),
    ("pktap", 258, lambda ip: pktap(1, ether(ip))),
    ("arcnet", 7, lambda ip: arcnet(ip)),
    ("arcnet-1051", 7, lambda ip: arcnet(ip, rfc1051=True)),
    ("arcnet-linux", 129, lambda ip: arcnet(ip, linux=True)),
]


@case
def more_link_types(ctx):
    for name, dlt, link in LINKS:
        c = eno_success(Conn("192.0.2.1", "192.0.2.2", 40000, 443, link=link))
        expect_success(ctx, name + ".pcap", c.frames, dlt)
        expect_success(ctx, name + ".pcapng", c.frames, dlt, ng=True)
        if name in ("ppp", "ipoib", "nflog", "arcnet"):
            c = eno_success(Conn("2001:db8::1", "2001:db8::2", 40000, 443, link=link))
            expect_success(ctx, name + "-v6.pcap", c.frames, dlt, client="[2001:db8::1]:40000")


@case
def more_link_types_near(ctx):
    """Frames of these link types that carry no TCP segment are not taken
    for one: protected 802.11 data, a PPP control protocol, ARCNET ARP."""
    c = eno_success(Conn("192.0.2.1", "192.0.2.2", 40000, 443, link=lambda ip: ip))
    frames = c.frames
    cases = [
        ("80211-protected", 105,
         lambda ip: b"\x08\x41" + wlan(ip)[2:]),
        ("ppp-lcp", 9, lambda ip: b"\xff\x03\xc0\x21" + ip),
        ("arcnet-arp", 7, lambda ip: b"\x01\x02\xd5\x00\x00\x01" + ip),
    ]
    for name, dlt, wrap in cases:
        p = ctx.capture(name + ".pcap", [(t, wrap(d), len(wrap(d))) for t, d, _ in frames], dlt)
        r, conns, summary = ctx.json(p)
        check(r.returncode == 0 and conns == [] and summary["skipped"]["not_tcp"] == 5,
              name + ": no TCP", r.out, r.err)


@case
def ah_in_ipv4(ctx):
    """IPv4 with an authentication header before TCP (protocol 51)."""
    def with_ah(ip):
        hl = (ip[0] & 15) * 4
        ah = bytes([6, 4]) + bytes(2) + struct.pack("!II", 0x100, 1) + bytes(12)  # 24 bytes
        inner = ip[hl:]
        return ipv4_packet(ip[12:16], ip[16:20], ah + inner)

    def ipv4_packet(src, dst, payload):
        import ipaddress
        return ipv4(str(ipaddress.IPv4Address(src)), str(ipaddress.IPv4Address(dst)), payload,
                    proto=51)
    c = eno_success(Conn("192.0.2.1", "192.0.2.2", 40000, 443,
                         link=lambda ip: ether(with_ah(ip))))
    expect_success(ctx, "ah.pcap", c.frames, DLT_EN10MB)


@case
def tunnels_named(ctx):
    """The text and JSON outputs name the tunnel; equal inner addresses in
    two VXLAN segments are two connections (captures/tunnels, made by
    enogen)."""
    import os
    here = os.path.join(os.path.dirname(ctx.rules_def), "..", "..", "captures", "tunnels")
    want = {"gre.pcap": "GRE", "gre-key.pcap": "GRE key 1001", "gre-seq.pcap": "GRE key 7",
            "gre-csum.pcap": "GRE", "gre-teb.pcap": "GRE key 12",
            "erspan2.pcap": "ERSPAN session 100", "erspan3.pcap": "ERSPAN session 200",
            "vxlan.pcap": "VXLAN VNI 42", "geneve.pcap": "Geneve VNI 4242",
            "ipip.pcap": "IP-in-IP", "ip6ip.pcap": "IPv6-in-IP", "mpls.pcap": "MPLS",
            "pppoe.pcap": "PPPoE session 4660"}
    for name, tunnel in sorted(want.items()):
        p = os.path.join(here, name)
        r, conns, _ = ctx.json(p)
        check(r.returncode == 0 and len(conns) == 1 and conns[0]["tunnel"] == tunnel and
              conns[0]["status"] == "encrypted", name, r.out, r.err)
        t = ctx.run("check", p)
        check(" in %s: encrypted" % tunnel in t.out, name + ": text", t.out)
    # Two VXLAN segments with the same inner addresses and ports, the
    # handshakes interleaved: VNI 1 succeeds, VNI 2's server has no ENO.
    # (Not in captures/: the Wireshark plugin, like Wireshark's TCP
    # conversations, does not tell VNIs apart.)
    def vxlan(vni):
        def wrap(inner_ip):
            frame = ether(inner_ip)
            body = struct.pack("!II", 0x08000000, vni << 8) + frame
            udp = struct.pack("!HHHH", 49152, 4789, 8 + len(body), 0) + body
            return ether(ipv4("198.51.100.1", "198.51.100.2", udp, proto=17))
        return wrap
    one = Conn("10.0.0.1", "10.0.0.2", 40001, 443, link=vxlan(1), ts=1.0)
    two = Conn("10.0.0.1", "10.0.0.2", 40001, 443, link=vxlan(2), ts=1.0005)
    one.send(0, 0x02, b"\x45\x03\x21")
    two.send(0, 0x02, b"\x45\x03\x21")
    one.send(1, 0x12, b"\x45\x04\x01\x21")
    two.send(1, 0x12)
    one.send(0, 0x10, b"\x45\x02")
    two.send(0, 0x10)
    frames = sorted(one.frames + two.frames, key=lambda f: f[0])
    r, conns, _ = ctx.json(ctx.capture("same-inner.pcap", frames))
    check([(c["tunnel"], c["status"]) for c in conns] ==
          [("VXLAN VNI 1", "encrypted"), ("VXLAN VNI 2", "disabled")],
          "one connection per VNI", r.out)
    check(conns[0]["client"] == conns[1]["client"] and conns[0]["server"] == conns[1]["server"],
          "same inner addresses", r.out)
    # Untunnelled connections have a null tunnel.
    c = eno_success(Conn("192.0.2.1", "192.0.2.2", 40000, 443))
    r, conns, _ = ctx.json(ctx.capture("plain.pcap", c.frames))
    check(conns[0]["tunnel"] is None, "no tunnel", r.out)
