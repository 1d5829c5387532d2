# SPDX-License-Identifier: GPL-2.0-or-later
"""Tests of `enoscope compare`, one ctest per case.

Most cases compile a two-point scenario of this folder with enogen (-o for
point 1, -2 for point 2), compare the two captures as JSON Lines and
check every difference record, the comparison record and the exit code.

usage: compare_test.py --list
       compare_test.py ENOSCOPE ENOGEN CASE SCRATCH-DIR CAPTURES-DIR
"""
import json
import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
CASES = {}


class Failure(Exception):
    pass


def case(fn):
    CASES[fn.__name__] = fn
    return fn


class Ctx:
    def __init__(self, enoscope, enogen, scratch, captures):
        self.enoscope, self.enogen, self.scratch, self.captures = (
            enoscope, enogen, scratch, captures)

    def gen(self, name):
        p1 = os.path.join(self.scratch, name + ".1.pcap")
        p2 = os.path.join(self.scratch, name + ".2.pcap")
        r = subprocess.run([self.enogen, "-o", p1, "-2", p2,
                            os.path.join(HERE, name + ".scn")],
                           capture_output=True, text=True)
        if r.returncode != 0:
            raise Failure("enogen failed on %s: %s" % (name, r.stderr))
        return p1, p2

    def run(self, *args, stdin=None):
        return subprocess.run([self.enoscope, *args], capture_output=True, text=True,
                              input=stdin, timeout=120)

    def compare_json(self, p1, p2, rc, *extra):
        r = self.run("compare", "--format", "json", *extra, p1, p2)
        if r.returncode != rc:
            raise Failure("exit %d, expected %d\nstdout:\n%s\nstderr:\n%s"
                          % (r.returncode, rc, r.stdout, r.stderr))
        recs = [json.loads(line) for line in r.stdout.splitlines()]
        if not recs or recs[-1]["type"] != "summary":
            raise Failure("no summary record last:\n" + r.stdout)
        return recs

    def scenario(self, name, rc):
        p1, p2 = self.gen(name)
        return self.compare_json(p1, p2, rc)


def diffs(recs):
    return [r for r in recs if r["type"] == "difference"]


def comparisons(recs):
    return [r for r in recs if r["type"] == "comparison"]


def expect(cond, what, recs=None):
    if not cond:
        raise Failure(what + ("\n" + "\n".join(json.dumps(r) for r in recs) if recs else ""))


def expect_changes(recs, want):
    """want: list of (change, frame1, frame2, eno) in output order."""
    got = [(d["change"], d["frame1"], d["frame2"], d["eno"]) for d in diffs(recs)]
    expect(got == want, "differences %r, expected %r" % (got, want), recs)


def one_comparison(recs):
    c = comparisons(recs)
    expect(len(c) == 1, "%d comparison records, expected 1" % len(c), recs)
    return c[0]


def outcome(o):
    return (o["status"], o["reason"], o["tep"]) if o else None


@case
def eno_removed(ctx):
    recs = ctx.scenario("eno-removed", 1)
    expect_changes(recs, [("eno-removed", 3, 3, True)])
    d = diffs(recs)[0]
    expect(d["option1"] == "4502" and d["option2"] is None, "option bytes of eno-removed", recs)
    expect(d["sender"] == "client", "sender", recs)
    c = one_comparison(recs)
    expect(outcome(c["outcome1"]) == ("encrypted", None, "0x21"), "point 1 outcome", recs)
    expect(outcome(c["outcome2"]) == ("disabled", "ack-missing-eno", "0x21"),
           "point 2 outcome", recs)
    expect(not c["same_outcome"] and c["eno_differences"] == 1, "comparison counts", recs)
    expect("removed on the path" in c["verdict"] and "different outcome" in c["verdict"],
           "verdict names the removal and the split outcome: " + c["verdict"])
    s = recs[-1]
    expect(s["matched"] == 1 and s["changes"]["eno-removed"] == 1 and
           s["eno_differences"] == 1 and s["client_point"] == 1, "summary", recs)


@case
def eno_changed(ctx):
    recs = ctx.scenario("eno-changed", 1)
    expect_changes(recs, [("eno-changed", 2, 2, True)])
    d = diffs(recs)[0]
    # B is on point 2's side: the option as B sent it is point 2's.
    expect(d["option2"] == "45040121" and d["option1"] == "45040122", "option bytes", recs)
    expect("byte 3 21 -> 22" in d["message"], "the changed byte is named: " + d["message"])
    c = one_comparison(recs)
    expect(outcome(c["outcome1"]) == ("encrypted", None, "0x22") and
           outcome(c["outcome2"]) == ("encrypted", None, "0x21"), "two TEPs", recs)


@case
def eno_replaced(ctx):
    recs = ctx.scenario("eno-replaced", 1)
    expect_changes(recs, [("eno-replaced", 1, 1, True)])
    d = diffs(recs)[0]
    expect(d["option1"] == "450321" and d["option2"] == "fd04abcd", "option bytes", recs)
    c = one_comparison(recs)
    expect(outcome(c["outcome2"]) == ("no-eno", None, None), "point 2 sees no ENO", recs)


@case
def eno_added(ctx):
    recs = ctx.scenario("eno-added", 1)
    expect_changes(recs, [("eno-added", 2, 2, True)])
    d = diffs(recs)[0]
    expect(d["option1"] == "45040121" and d["option2"] is None, "added at point 1", recs)


@case
def options_clamped_removed(ctx):
    recs = ctx.scenario("options", 0)
    expect_changes(recs, [
        ("option-removed", 1, 1, False), ("option-changed", 1, 1, False),
        ("option-changed", 1, 1, False), ("option-removed", 2, 2, False),
        ("option-changed", 2, 2, False), ("option-changed", 2, 2, False)])
    msgs = [d["message"] for d in diffs(recs)]
    expect("SACK-permitted (04 02) removed between point 1 and point 2" in msgs[0], msgs[0])
    expect("MSS clamped from 1460 at point 1 to 1200 at point 2" in msgs[1], msgs[1])
    expect("timestamps rewritten" in msgs[2] and "TSval 100008 -> 101008" in msgs[2], msgs[2])
    expect(diffs(recs)[1]["option1"] == "020405b4" and diffs(recs)[1]["option2"] == "020404b0",
           "MSS option bytes", recs)
    c = one_comparison(recs)
    expect(c["same_outcome"] and c["eno_differences"] == 0, "ENO untouched", recs)
    expect(c["verdict"].startswith("ENO unchanged"), c["verdict"])


@case
def nat_and_isn_rewriting(ctx):
    recs = ctx.scenario("nat-isn", 0)
    expect_changes(recs, [("seq-rewritten", 1, 1, False), ("payload-changed", 5, 5, False)])
    c = one_comparison(recs)
    m = c["mapping"]
    expect(m["nat"] == {"client": True, "server": False}, "NAT of the client", recs)
    expect(m["seq_offset"] == {"client": 0x10000000, "server": 0}, "ISN mapping", recs)
    expect(c["point1"]["client"] == "10.0.0.5:51000" and
           c["point2"]["client"] == "203.0.113.7:61000", "both views of the client", recs)
    expect(c["same_outcome"], "same outcome", recs)


@case
def isn_rewritten_server(ctx):
    recs = ctx.scenario("isn-server", 0)
    expect_changes(recs, [("seq-rewritten", 2, 2, False), ("seq-rewritten", 4, 4, False)])
    c = one_comparison(recs)
    expect(c["mapping"]["seq_offset"]["server"] == -5000, "server's ISN mapping", recs)
    expect("acknowledgment number" in diffs(recs)[1]["message"],
           "an acknowledgment off the mapping is named", recs)


@case
def loss_retransmission_reorder_clock(ctx):
    recs = ctx.scenario("loss-clock", 0)
    expect_changes(recs, [("lost", 1, None, False), ("lost", 5, None, False)])
    d = diffs(recs)
    expect(d[0]["outside_span"] and not d[1]["outside_span"], "outside the span, then lost",
           recs)
    expect(d[0]["option1"] == "450321", "the ENO option of the lone SYN", recs)
    s = recs[-1]
    expect(s["clock_offset_usec"] == 2500000, "clock offset found", recs)
    c = one_comparison(recs)
    expect(c["same_outcome"], "same outcome", recs)


@case
def lost_eno_segment(ctx):
    # The box drops A's completing ACK, the only one with ENO: a loss that
    # touches ENO, so the exit status is 1.
    recs = ctx.scenario("lost-ack", 1)
    expect_changes(recs, [("lost", 3, None, True)])
    expect(not diffs(recs)[0]["outside_span"], "lost, not outside", recs)


@case
def seen_at_one_point_only(ctx):
    recs = ctx.scenario("one-side", 1)
    cs = comparisons(recs)
    expect(len(cs) == 2, "two connections", recs)
    expect(cs[1]["point2"] is None and "seen at point 1 only" in cs[1]["verdict"],
           "the dropped connection", recs)
    lost = [d for d in diffs(recs) if d["connection"] == 2]
    expect(len(lost) == 1 and lost[0]["change"] == "lost" and lost[0]["frame2"] is None,
           "its SYN is lost", recs)
    expect(recs[-1]["only1"] == 1 and recs[-1]["matched"] == 1, "summary counts", recs)


@case
def port_reuse_behind_nat(ctx):
    # Two connections on one 4-tuple (port reuse), both behind a NAT: each
    # pairs with its own by ISN, and only the second loses ENO.
    recs = ctx.scenario("reuse-nat", 1)
    cs = comparisons(recs)
    expect(len(cs) == 2 and all(c["point1"] and c["point2"] for c in cs), "two pairs", recs)
    expect(cs[0]["eno_differences"] == 0 and cs[1]["eno_differences"] == 1,
           "the second connection lost ENO", recs)
    expect(cs[1]["point2"]["first_frame"] == 4, "paired by ISN", recs)


@case
def ipv6_destination_nat(ctx):
    recs = ctx.scenario("ipv6-dnat", 1)
    expect_changes(recs, [("eno-removed", 2, 2, True)])
    d = diffs(recs)[0]
    expect(d["sender"] == "server" and d["option2"] == "45040121" and d["option1"] is None,
           "B's option is point 2's", recs)
    c = one_comparison(recs)
    expect(c["mapping"]["nat"] == {"client": False, "server": True}, "server NATed", recs)
    expect(c["point1"]["server"] == "[2001:db8:ffff::80]:8443" and
           c["point2"]["server"] == "[2001:db8:2::2]:443", "both views of the server", recs)
    expect(outcome(c["outcome1"]) == ("disabled", "peer-no-eno", None) and
           outcome(c["outcome2"]) == ("encrypted", None, "0x21"), "outcomes", recs)


@case
def midstream_behind_nat(ctx):
    # Neither capture has the SYNs; NAT and a sequence shift hide the tuple
    # and the numbers, yet the connection pairs and its mapping is found.
    recs = ctx.scenario("midstream-nat", 0)
    expect(diffs(recs) == [], "no difference", recs)
    c = one_comparison(recs)
    expect(c["point1"] and c["point2"], "paired", recs)
    expect(c["mapping"]["seq_offset"]["client"] == 777, "mapping from the segments", recs)
    expect(recs[-1]["segments_matched"] == 4, "every segment matched", recs)


@case
def segment_seq_shift_and_delay(ctx):
    recs = ctx.scenario("seq-delay", 0)
    expect_changes(recs, [("option-removed", 4, 4, False), ("seq-rewritten", 4, 4, False)])
    d = diffs(recs)
    expect(d[0]["option1"].startswith("080a") and d[0]["option2"] is None, "timestamps", recs)
    expect("sequence number 1000000001 at point 1 is 1000000006 at point 2" in d[1]["message"],
           d[1]["message"])
    s = recs[-1]
    expect(s["clock_offset_usec"] == 0 and s["client_point"] == 1, "the delay is not an offset",
           recs)


@case
def enogen_second_point_needs_path(ctx):
    r = subprocess.run([ctx.enogen, "-o", os.path.join(ctx.scratch, "1.pcap"), "-2",
                        os.path.join(ctx.scratch, "2.pcap"),
                        os.path.join(ctx.captures, "examples", "ex1-three-way-success.scn")],
                       capture_output=True, text=True)
    expect(r.returncode == 2 and "path lines" in r.stderr, "enogen -2: %r" % r.stderr)
    # Without -2 a path scenario gives point 1's capture alone, the same as
    # with it.
    p1, _ = ctx.gen("nat-isn")
    alone = os.path.join(ctx.scratch, "alone.pcap")
    r = subprocess.run([ctx.enogen, "-o", alone, os.path.join(HERE, "nat-isn.scn")],
                       capture_output=True, text=True)
    with open(p1, "rb") as a, open(alone, "rb") as b:
        expect(r.returncode == 0 and a.read() == b.read(), "point 1 alone")


@case
def many_behind_one_nat(ctx):
    recs = ctx.scenario("many-nat", 1)
    cs = comparisons(recs)
    expect(len(cs) == 3000, "%d comparisons" % len(cs))
    bad = [c for c in cs if not c["point2"] or
           c["point1"]["first_frame"] != c["point2"]["first_frame"]]
    expect(not bad, "each connection pairs with its own: %r" % bad[:3])
    s = recs[-1]
    expect(s["matched"] == 3000 and s["changes"]["eno-removed"] == 3000 and
           s["differences"] == 3000, "one ENO removal per connection", [s])


@case
def mangled_frames(ctx):
    # Random bytes written over the frames of point 2 (headers and options
    # included) must never crash compare, nor give anything but well-formed
    # output and a status of 0, 1 or 2.
    import random
    p1, p2 = ctx.gen("options")
    with open(p2, "rb") as f:
        data = bytearray(f.read())
    rng = random.Random(18)
    mangled = os.path.join(ctx.scratch, "mangled.pcap")
    for _ in range(100):
        m = bytearray(data)
        for _ in range(rng.randint(1, 12)):
            m[rng.randrange(40, len(m))] = rng.randrange(256)
        with open(mangled, "wb") as f:
            f.write(m)
        r = ctx.run("compare", "--format", "json", p1, mangled)
        expect(r.returncode in (0, 1, 2) and "AddressSanitizer" not in r.stderr and
               "runtime error" not in r.stderr, "status %d: %s" % (r.returncode, r.stderr))
        for line in r.stdout.splitlines():
            json.loads(line)


@case
def ip_id_rewritten_by_nat(ctx):
    recs = ctx.scenario("ipid-nat", 0)
    expect(diffs(recs) == [], "IP ID rewriting alone is no difference", recs)
    expect(recs[-1]["segments_matched"] == 6, "every segment paired", recs)


@case
def identical_captures(ctx):
    p1, _ = ctx.gen("eno-removed")
    recs = ctx.compare_json(p1, p1, 0)
    expect(diffs(recs) == [], "no difference", recs)
    c = one_comparison(recs)
    expect(c["same_outcome"] and c["verdict"].startswith("no difference"), c["verdict"])


@case
def text_output(ctx):
    p1, p2 = ctx.gen("eno-removed")
    r = ctx.run("compare", p1, p2)
    expect(r.returncode == 1, "exit 1: " + r.stderr)
    out = r.stdout
    for want in ["point 1: " + p1, "point 2: " + p2, "eno-removed: the client (A)'s completing "
                 "ACK carried ENO (45 02) at point 1 and arrived at point 2 without it",
                 "verdict:", "point 1 (the client's side) gives encrypted with TEP 0x21",
                 "point 2 (the server's side) gives disabled (ack-missing-eno)", "summary:"]:
        expect(want in out, "text output lacks %r:\n%s" % (want, out))


@case
def stdin_input(ctx):
    p1, p2 = ctx.gen("eno-removed")
    with open(p2, "rb") as f:
        r = subprocess.run([ctx.enoscope, "compare", "--format", "json", p1, "-"], stdin=f,
                           capture_output=True, timeout=120)
    expect(r.returncode == 1 and b'"eno-removed"' in r.stdout, "stdin as point 2")


@case
def closed_output(ctx):
    # A reader that stops early (| head) ends the run quietly.
    p1, p2 = ctx.gen("many-nat")
    proc = subprocess.Popen([ctx.enoscope, "compare", p1, p2], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    first = proc.stdout.readline()
    proc.stdout.close()
    err = proc.stderr.read()
    rc = proc.wait(timeout=120)
    expect(first.startswith(b"point 1: ") and rc in (0, 1) and err == b"",
           "status %d, stderr %r" % (rc, err))


@case
def usage_errors(ctx):
    p1, p2 = ctx.gen("eno-removed")
    for args, msg in [((p1,), "two capture files"), ((p1, p2, p1), "two capture files"),
                      (("--format", "xml", p1, p2), "unknown output format"),
                      (("--max-segments", "0", p1, p2), "--max-segments"),
                      (("--max-connections", "x", p1, p2), "--max-connections"),
                      (("-", "-"), "standard input"), (("--bogus", p1, p2), "bogus")]:
        r = ctx.run("compare", *args)
        expect(r.returncode == 2 and msg in r.stderr and r.stdout == "",
               "%r: exit %d, stderr %r" % (args, r.returncode, r.stderr))
    r = ctx.run("compare", "--help")
    expect(r.returncode == 0 and "FILE1 FILE2" in r.stdout, "help")


@case
def bad_input(ctx):
    p1, p2 = ctx.gen("eno-removed")
    empty = os.path.join(ctx.scratch, "empty.pcap")
    open(empty, "wb").close()
    junk = os.path.join(ctx.scratch, "junk.pcap")
    with open(junk, "wb") as f:
        f.write(b"this is not a capture at all\n")
    for other, msg in [(empty, "empty"), (junk, "not a pcap"),
                       (os.path.join(ctx.scratch, "missing.pcap"), "cannot open"),
                       (ctx.scratch, "directory")]:
        r = ctx.run("compare", p1, other)
        expect(r.returncode == 2 and msg in r.stderr, "%s: exit %d, %r"
               % (other, r.returncode, r.stderr))
    import gzip
    gz = os.path.join(ctx.scratch, "p2.pcap.gz")
    with open(p2, "rb") as f, gzip.open(gz, "wb") as g:
        g.write(f.read())
    # A compressed capture goes through wiretap, with the same result as
    # the file itself.
    plain = ctx.run("compare", "--format", "json", p1, p2)
    r = ctx.run("compare", "--format", "json", p1, gz)
    expect(r.returncode == plain.returncode == 1 and r.stdout.replace(gz, p2) == plain.stdout
           and r.stderr == "", "compressed: exit %d, %r\n%s\nagainst\n%s"
           % (r.returncode, r.stderr, r.stdout, plain.stdout))
    # Cut short: compared as far as it goes, and the run fails.
    with open(gz, "rb") as f:
        zdata = f.read()
    gzcut = os.path.join(ctx.scratch, "p2-cut.pcap.gz")
    with open(gzcut, "wb") as f:
        f.write(zdata[:len(zdata) * 2 // 3])
    r = ctx.run("compare", "--format", "json", p1, gzcut)
    expect(r.returncode == 2 and "truncated or corrupt" in r.stderr and
           json.loads(r.stdout.splitlines()[-1])["type"] == "summary",
           "compressed and cut: exit %d, %r" % (r.returncode, r.stderr))
    # A truncated file is compared as far as it goes, and the run fails.
    cut = os.path.join(ctx.scratch, "cut.pcap")
    with open(p2, "rb") as f:
        data = f.read()
    with open(cut, "wb") as f:
        f.write(data[:-10])
    r = ctx.run("compare", "--format", "json", p1, cut)
    expect(r.returncode == 2 and "truncated" in r.stderr, "truncated: %r" % r.stderr)
    recs = [json.loads(line) for line in r.stdout.splitlines()]
    expect(recs and recs[-1]["type"] == "summary", "what was read is still reported")


@case
def memory_caps(ctx):
    p1, p2 = ctx.gen("loss-clock")
    # Only the first 3 segments of each connection are kept: the later ones
    # are neither compared nor reported lost.
    recs = ctx.compare_json(p1, p2, 0, "--max-segments", "3")
    c = one_comparison(recs)
    expect(c["point1"]["segments"] == 8, "segments counted", recs)
    expect(all(d["frame1"] in (1, None) for d in diffs(recs)), "nothing past the cap", recs)
    p3, p4 = ctx.gen("one-side")
    recs = ctx.compare_json(p3, p4, 0, "--max-connections", "1")
    expect(recs[-1]["not_compared1"] == 1 and len(comparisons(recs)) == 1, "connection cap",
           recs)


@case
def recorded_linux_middlebox(ctx):
    d = os.path.join(ctx.captures, "linux")
    p1 = os.path.join(d, "middlebox-client.pcap")
    p2 = os.path.join(d, "middlebox-server.pcap")
    if not os.path.exists(p1):
        raise Failure("the recorded captures are missing: " + p1)
    recs = ctx.compare_json(p1, p2, 0)
    cs = comparisons(recs)
    expect(len(cs) == 4 and all(c["point1"] and c["point2"] for c in cs),
           "the four connections paired", recs)
    expect(all(c["mapping"]["nat"] == {"client": True, "server": False} for c in cs),
           "the client is NATed", recs)
    expect(all(c["point2"]["client"].startswith("10.77.2.1:") for c in cs), "NAT address", recs)
    s = recs[-1]
    want = {k: 0 for k in s["changes"]}
    want.update({"option-removed": 4, "option-changed": 7})
    expect(s["changes"] == want and s["eno_differences"] == 0, "the box's changes", recs)
    expect(abs(s["clock_offset_usec"]) < 1000 and s["client_point"] == 1,
           "one clock, point 1 on the client's side", recs)
    for d in diffs(recs):
        if d["change"] == "option-removed":
            expect(d["sender"] == "client" and d["option1"] == "0402" and
                   "SACK-permitted (04 02) removed between point 1 and point 2" in d["message"],
                   "SACK-permitted removed from the client's SYN", recs)
        else:
            expect(d["option1"][:4] == "0204" and d["option2"][:4] == "0204" and
                   ("020404b0" in (d["option1"], d["option2"])) and
                   "MSS clamped from 1460" in d["message"] and "to 1200" in d["message"],
                   "MSS clamped in a SYN or SYN-ACK", recs)


def main():
    if sys.argv[1:] == ["--list"]:
        print("\n".join(CASES))
        return 0
    if len(sys.argv) != 6 or sys.argv[3] not in CASES:
        print(__doc__, file=sys.stderr)
        return 2
    enoscope, enogen, name, scratch, captures = sys.argv[1:]
    shutil.rmtree(scratch, ignore_errors=True)
    os.makedirs(scratch)
    try:
        CASES[name](Ctx(enoscope, enogen, scratch, captures))
    except Failure as e:
        print("FAIL %s: %s" % (name, e))
        return 1
    print("ok " + name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
