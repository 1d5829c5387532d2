# SPDX-License-Identifier: GPL-2.0-or-later
"""Bad input and usage errors: exit status 2 with a clear message."""
import json
import random
import re
import struct

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


def classic_pcap(records, big_endian=False, nsec=False, snaplen=65535, linktype=1):
    """A classic pcap file; records: (seconds, fraction, caplen, wirelen, data)."""
    o = ">" if big_endian else "<"
    out = [struct.pack(o + "IHHiIII", 0xA1B23C4D if nsec else 0xA1B2C3D4, 2, 4, 0, 0,
                       snaplen, linktype)]
    for sec, frac, caplen, wire, data in records:
        out.append(struct.pack(o + "IIII", sec, frac, caplen, wire) + data)
    return b"".join(out)


@case
def block_reader_matches_libpcap(ctx):
    """Classic pcap files in this host's byte order are read in blocks by
    enoscope itself; in the other order, by libpcap.  The same records in
    both orders give the same output: whole files of several blocks, with
    records across block ends, nanosecond and negative stamps, records
    longer than the snapshot length or than their packet, absurd lengths,
    files cut at every kind of place, -c and --filter."""
    rnd = random.Random(17)
    frames = []
    for i in range(2500):
        c = eno_success(Conn("10.0.%d.%d" % (i // 250, i % 250 + 1), "192.0.2.2",
                             20000 + i, 443, ts=1.0 + i))
        frames += c.frames
        if i % 97 == 0:
            # A long segment: records of every size cross the block ends.
            c.send(0, ACK, b"", bytes(rnd.randrange(1000, 60000)))
            frames.append(c.frames[-1])
    records = [(int(ts), int(round((ts % 1) * 1e6)), len(d), w, d) for ts, d, w in frames]
    total = sum(16 + r[2] for r in records)
    check(total > 3 * 512 * 1024, "the file spans several blocks", total)

    def run(name, recs, args=(), cut=None, **kw):
        outs = []
        for big in (False, True):
            data = classic_pcap(recs, big_endian=big, **kw)
            if cut is not None:
                data = data[:cut]
            p = ctx.path(("be-" if big else "le-") + name)
            with open(p, "wb") as f:
                f.write(data)
            r = ctx.run("check", "--format", "json", *args, p)
            outs.append((r.returncode, r.out.replace(p, "F"), r.err.replace(p, "F")))
        check(outs[0] == outs[1], "%s %s: the block reader and libpcap differ" % (name, args),
              outs[0][0], outs[1][0], outs[0][2][:2000], outs[1][2][:2000],
              outs[0][1][-3000:], outs[1][1][-3000:])
        return outs[0]

    code, out, _ = run("whole.pcap", records)
    check(code == 0 and '"connections":2500' in out, "the whole file", code, out[-2000:])
    # Nanosecond stamps.
    nrec = [(s, min(f * 1000 + 999, 999999999), c, w, d) for s, f, c, w, d in records[:500]]
    run("nsec.pcap", nrec, nsec=True)
    # A snapshot length below the records' lengths: cut to it.
    run("snap.pcap", records[:800], snaplen=60)
    # A record longer than its packet, then one longer than libpcap allows.
    bad = list(records[:3000])
    s, f, c, w, d = bad[2000]
    bad[2000] = (s, f, c, c - 10, d)
    run("caplen.pcap", bad)
    bad[2500] = (9, 0, 300000, 300000, bytes(64))
    code, _, err = run("absurd.pcap", bad)
    check(code == 2 and "300000" in err, "an absurd length is a fault", code, err)
    # Cut inside a record header, inside its data, at a record's end, and
    # around the block ends.
    ends, at = [], 24
    for r in records:
        at += 16 + r[2]
        ends.append(at)
    cuts = [ends[100] - 3, ends[100] + 7, ends[100] + 40, ends[100]]
    for b in (512 * 1024, 2 * 512 * 1024):
        k = next(i for i, e in enumerate(ends) if e > b)
        cuts += [b - 24, b, b + 1, ends[k] - 1, ends[k], ends[k] + 15]
    for n in cuts:
        run("cut-%d.pcap" % n, records, cut=n)
    # An absurd length in the record that the second block's end cuts, and
    # in one wholly inside the third block.
    k = next(i for i, e in enumerate(ends) if e > 24 + 2 * 512 * 1024)
    for i in (k, k + 40):
        bad = list(records)
        bad[i] = (9, 0, 300000, 300000, bytes(64))
        code, _, err = run("absurd-%d.pcap" % i, bad)
        check(code == 2 and "300000" in err, "an absurd length in a later block", code, err)
    for args in (["-c", "1"], ["-c", "7000"], ["--filter", "tcp port 20001 or port 21000"]):
        run("args.pcap", records, args=args)
    # -c ending the reading just before a cut record: no fault, as libpcap
    # is not asked for it; one more, and the fault is reported.
    code, _, err = run("cut-c.pcap", records, args=["-c", "101"], cut=ends[100] + 7)
    check(code == 0 and "truncated" not in err, "-c stops before the cut", code, err)
    code, _, err = run("cut-c.pcap", records, args=["-c", "102"], cut=ends[100] + 7)
    check(code == 2 and "truncated" in err, "-c past the cut", code, err)
