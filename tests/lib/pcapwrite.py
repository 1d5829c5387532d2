# SPDX-License-Identifier: GPL-2.0-or-later
"""Writes small synthetic captures for the analyzer and plugin tests (stdlib
only).

A capture is a list of frames; each frame is (timestamp, bytes, wire_length).
Packets are built bottom-up: tcp() -> ipv4()/ipv6() -> a link layer.
"""
import ipaddress
import struct

DLT_NULL, DLT_EN10MB, DLT_RAW, DLT_LOOP = 0, 1, 101, 108
DLT_LINUX_SLL, DLT_LINUX_SLL2, DLT_USER0 = 113, 276, 147

SYN, ACK, FIN, RST, PSH = 0x02, 0x10, 0x01, 0x04, 0x08

INIT1 = bytes.fromhex("15101a0e00000010") + bytes(8)
INIT2 = bytes.fromhex("097105e000000010") + bytes(8)


def _csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def tcp(sport, dport, flags, seq, ack=0, opts=b"", payload=b""):
    opts = bytes(opts)
    while len(opts) % 4:
        opts += b"\x01"  # NOP padding after the options
    hl = 20 + len(opts)
    return struct.pack("!HHIIBBHHH", sport, dport, seq & 0xFFFFFFFF, ack & 0xFFFFFFFF,
                       (hl // 4) << 4, flags, 65535, 0, 0) + opts + payload


def ipv4(src, dst, payload, proto=6, options=b"", frag=0, ident=1):
    ihl = 5 + len(options) // 4
    hdr = struct.pack("!BBHHHBBH4s4s", 0x40 | ihl, 0, ihl * 4 + len(payload), ident, frag,
                      64, proto, 0, ipaddress.IPv4Address(src).packed,
                      ipaddress.IPv4Address(dst).packed) + options
    hdr = hdr[:10] + struct.pack("!H", _csum(hdr)) + hdr[12:]
    return hdr + payload


def ipv6(src, dst, payload, ext=()):
    """ext: list of (next_header_value_of_this_ext, body) for hop-by-hop (0)
    and destination options (60); bodies are padded to 8-byte units."""
    chain = b""
    kinds = [k for k, _ in ext] + [6]
    for i, (_, body) in enumerate(ext):
        body = bytes(body)
        while (len(body) + 2) % 8:
            body += b"\0"
        chain += bytes([kinds[i + 1], (len(body) + 2) // 8 - 1]) + body
    plen = len(chain) + len(payload)
    return struct.pack("!IHBB16s16s", 0x60000000, plen, kinds[0], 64,
                       ipaddress.IPv6Address(src).packed,
                       ipaddress.IPv6Address(dst).packed) + chain + payload


def ether(ip, ethertype=None, vlans=()):
    if ethertype is None:
        ethertype = 0x86DD if ip[0] >> 4 == 6 else 0x0800
    hdr = bytes.fromhex("020000000002") + bytes.fromhex("020000000001")
    for tpid, vid in vlans:
        hdr += struct.pack("!HH", tpid, vid)
    return hdr + struct.pack("!H", ethertype) + ip


def sll(ip):
    proto = 0x86DD if ip[0] >> 4 == 6 else 0x0800
    return struct.pack("!HHH8sH", 0, 1, 6, bytes(8), proto) + ip


def sll2(ip):
    proto = 0x86DD if ip[0] >> 4 == 6 else 0x0800
    return struct.pack("!HHIHBB8s", proto, 0, 1, 1, 0, 6, bytes(8)) + ip


def null(ip, big_endian=False):
    fam = 30 if ip[0] >> 4 == 6 else 2
    return struct.pack(">I" if big_endian else "<I", fam) + ip


LINKS = {
    DLT_EN10MB: ether, DLT_LINUX_SLL: sll, DLT_LINUX_SLL2: sll2, DLT_RAW: lambda ip: ip,
    DLT_NULL: null, DLT_LOOP: lambda ip: null(ip, True), DLT_USER0: lambda ip: ip,
}


def write_pcap(path, frames, linktype=DLT_EN10MB, snaplen=65535):
    with open(path, "wb") as f:
        f.write(pcap_bytes(frames, linktype, snaplen))


def pcap_bytes(frames, linktype=DLT_EN10MB, snaplen=65535):
    out = [struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, snaplen, linktype)]
    for ts, data, wire in frames:
        out.append(struct.pack("<IIII", int(ts), int(round((ts % 1) * 1e6)), len(data), wire))
        out.append(data)
    return b"".join(out)


def write_pcapng(path, frames, linktype=DLT_EN10MB, snaplen=65535):
    def block(btype, body):
        while len(body) % 4:
            body += b"\0"
        n = 12 + len(body)
        return struct.pack("<II", btype, n) + body + struct.pack("<I", n)
    out = [block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1)),
           block(1, struct.pack("<HHI", linktype, 0, snaplen))]
    for ts, data, wire in frames:
        t = int(round(ts * 1e6))
        out.append(block(6, struct.pack("<IIIII", 0, t >> 32, t & 0xFFFFFFFF, len(data), wire)
                         + data))
    with open(path, "wb") as f:
        f.write(b"".join(out))


class Conn:
    """A TCP connection between a client and a server that emits frames."""

    def __init__(self, client, server, cport, sport, isn=(1000, 5000), link=ether, ts=1.0,
                 ip_options=b"", ip6_ext=()):
        self.c, self.s, self.cp, self.sp = client, server, cport, sport
        self.seq = [isn[0], isn[1]]
        self.link, self.ts = link, ts
        self.ip_options, self.ip6_ext = ip_options, ip6_ext
        self.frames = []

    def ip(self, side, seg):
        src, dst = (self.c, self.s) if side == 0 else (self.s, self.c)
        if ":" in src:
            return ipv6(src, dst, seg, self.ip6_ext)
        return ipv4(src, dst, seg, options=self.ip_options)

    def send(self, side, flags, opts=b"", payload=b"", seq=None, caplen=None):
        sp, dp = (self.cp, self.sp) if side == 0 else (self.sp, self.cp)
        s = self.seq[side] if seq is None else seq
        ack = self.seq[1 - side] if flags & ACK else 0
        frame = self.link(self.ip(side, tcp(sp, dp, flags, s, ack, opts, payload)))
        if seq is None:
            self.seq[side] += len(payload) + (1 if flags & (SYN | FIN) else 0)
        self.ts += 0.001
        data = frame if caplen is None else frame[:caplen]
        self.frames.append((self.ts, data, len(frame)))
        return self


def handshake(conn, syn_eno, synack_eno, ack_eno, payloads=True):
    """A three-way handshake; options are ENO option bytes (b'' for none)."""
    conn.send(0, SYN, syn_eno)
    conn.send(1, SYN | ACK, synack_eno)
    conn.send(0, ACK, ack_eno)
    if payloads:
        conn.send(0, ACK | PSH, b"", INIT1)
        conn.send(1, ACK | PSH, b"", INIT2)
    return conn


def eno_success(conn):
    """RFC 8547: A offers 0x21, passive B (b=1) picks it, A's ACK carries ENO."""
    return handshake(conn, b"\x45\x03\x21", b"\x45\x04\x01\x21", b"\x45\x02")
