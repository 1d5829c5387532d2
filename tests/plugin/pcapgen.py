# SPDX-License-Identifier: GPL-2.0-or-later
"""Small pcap writer for the plugin tests: IPv4/TCP segments with chosen
flags, options and payload (Ethernet link type).  Python stdlib only."""
import struct

A = ("192.0.2.1", 40000)
B = ("192.0.2.2", 7777)


def _ip(addr):
    return bytes(int(x) for x in addr.split("."))


def _csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


FLAGS = {"F": 0x01, "S": 0x02, "R": 0x04, "P": 0x08, "A": 0x10}


def segment(src, dst, flags, seq, ack, options=b"", payload=b""):
    """One Ethernet frame.  options are padded with EOL to 4 bytes."""
    opts = options + b"\0" * (-len(options) % 4)
    fl = sum(FLAGS[c] for c in flags)
    hlen = 20 + len(opts)
    tcp = struct.pack("!HHIIBBHHH", src[1], dst[1], seq, ack, (hlen // 4) << 4, fl, 65535, 0, 0)
    tcp += opts + payload
    pseudo = _ip(src[0]) + _ip(dst[0]) + struct.pack("!BBH", 0, 6, len(tcp))
    tcp = tcp[:16] + struct.pack("!H", _csum(pseudo + tcp)) + tcp[18:]
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), 1, 0x4000, 64, 6, 0,
                     _ip(src[0]), _ip(dst[0]))
    ip = ip[:10] + struct.pack("!H", _csum(ip)) + ip[12:]
    eth = b"\x02\0\0\0\0\x02" + b"\x02\0\0\0\0\x01" + b"\x08\x00"
    return eth + ip + tcp


def write(path, frames):
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for i, fr in enumerate(frames):
            f.write(struct.pack("<IIII", 1700000000, i * 1000, len(fr), len(fr)))
            f.write(fr)


def handshake(syn_opts, synack_opts, ack_opts, payload_a=b"", payload_b=b"", extra=()):
    """A three-way handshake A -> B, then optional payload each way."""
    isn_a, isn_b = 1000, 5000
    frames = [
        segment(A, B, "S", isn_a, 0, syn_opts),
        segment(B, A, "SA", isn_b, isn_a + 1, synack_opts),
        segment(A, B, "A", isn_a + 1, isn_b + 1, ack_opts, payload_a),
    ]
    if payload_b:
        frames.append(segment(B, A, "PA", isn_b + 1, isn_a + 1 + len(payload_a), b"", payload_b))
    frames.extend(extra)
    return frames
