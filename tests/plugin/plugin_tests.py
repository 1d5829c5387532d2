#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Tests of the Wireshark plugin: tshark loads the plugin from the build
tree (WIRESHARK_PLUGIN_DIR, scratch HOME).  As root tshark ignores both, so
it then runs as nobody through setpriv.

usage: plugin_tests.py TEST --plugin-root DIR --source DIR --version V
                       [--enoscope PATH]
"""
import argparse
import glob
import json
import os
import re
import shutil
import stat
import struct
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import pcapwrite as pw  # noqa: E402

ARGS = None
SCRATCH = None


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def check(cond, msg):
    if not cond:
        fail(msg)


def readable_for_all(path):
    """Every component traversable and the file readable by others."""
    p = os.path.abspath(path)
    while True:
        st = os.stat(p)
        need = stat.S_IROTH | (stat.S_IXOTH if stat.S_ISDIR(st.st_mode) else 0)
        if st.st_mode & need != need:
            return p
        parent = os.path.dirname(p)
        if parent == p:
            return None
        p = parent


def scratch_copy(path):
    """Copies a capture into the scratch HOME so nobody can read it."""
    dst = os.path.join(SCRATCH, os.path.basename(path))
    if not os.path.exists(dst):
        shutil.copyfile(path, dst)
        os.chmod(dst, 0o644)
    return dst


def plugin_root_for_nobody():
    """The build tree's plugin folder if nobody can read it, else a copy of
    the plugin in the scratch folder (a checkout under /root is not)."""
    rel = os.path.join(ARGS.abi, "epan", "enoscope.so")
    if readable_for_all(os.path.join(ARGS.plugin_root, rel)) is None:
        return ARGS.plugin_root
    root = os.path.join(SCRATCH, "plugins")
    dst = os.path.join(root, rel)
    if not os.path.exists(dst):
        os.makedirs(os.path.dirname(dst))
        shutil.copyfile(os.path.join(ARGS.plugin_root, rel), dst)
        for d, _, files in os.walk(root):
            os.chmod(d, 0o755)
            for f in files:
                os.chmod(os.path.join(d, f), 0o644)
    return root


def tshark(args, plugin_root=None, check_rc=True):
    if plugin_root is None:
        plugin_root = plugin_root_for_nobody() if os.geteuid() == 0 else ARGS.plugin_root
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": SCRATCH, "LC_ALL": "C",
           "WIRESHARK_PLUGIN_DIR": plugin_root}
    if ARGS.preload:
        # Sanitizer build: the ASan runtime must come first; tshark itself
        # is not instrumented and its leaks are not ours.
        env["LD_PRELOAD"] = ARGS.preload
        env["ASAN_OPTIONS"] = "detect_leaks=0:abort_on_error=1"
        env["UBSAN_OPTIONS"] = "halt_on_error=1:print_stacktrace=1"
    cmd = ["tshark"] + args
    if os.geteuid() == 0:
        cmd = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "env"] + \
              ["%s=%s" % kv for kv in env.items()] + cmd
    r = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=120, universal_newlines=True)
    if check_rc and r.returncode != 0:
        fail("%s exited %d: %s" % (" ".join(args), r.returncode, r.stderr[-2000:]))
    return r.stdout


# -T fields prints boolean fields as 1 and 0 in Wireshark 4.0, as True and
# False in 4.4 and 4.6; the tests compare 1 and 0.
BOOLEAN_TEXT = {"True": "1", "False": "0"}


def plain_booleans(value):
    parts = value.split("|")
    if all(p in BOOLEAN_TEXT for p in parts):
        return "|".join(BOOLEAN_TEXT[p] for p in parts)
    return value


def fields(pcap, names, extra=()):
    """Rows of -T fields output, one dict per frame (all frames)."""
    args = ["-r", pcap, "-T", "fields", "-E", "occurrence=a", "-E", "aggregator=|"]
    for n in ["frame.number"] + names:
        args += ["-e", n]
    out = tshark(list(extra) + args)
    rows = []
    for line in out.splitlines():
        cols = [plain_booleans(c) for c in line.split("\t")]
        rows.append(dict(zip(["frame"] + names, cols)))
    return rows


def frame(rows, n):
    for r in rows:
        if r["frame"] == str(n):
            return r
    fail("frame %d missing" % n)


def real_captures():
    return sorted(glob.glob(os.path.join(ARGS.source, "captures", "**", "*.pcap*"),
                            recursive=True))


def real(name):
    for f in real_captures():
        if os.path.basename(f) == name:
            return scratch_copy(f)
    fail("capture %s not found" % name)


# ---- generated captures ----

COOKIE = bytes(range(1, 9))
RESUME = bytes(range(0x40, 0x49))  # 9 bytes: tcpcrypt resumption identifier
SYN_A = b"\x45\x0e\x22\x88\xa1" + RESUME  # TEP 0x22, TEP 0x21 v=1 with 9 data bytes
SYNACK_B = b"\x45\x04\x01\x22"            # b=1, TEP 0x22
ACK_A = b"\x45\x04\xab\xcd"               # non-SYN contents ab cd
MSS = b"\x02\x04\x05\xb4"


A = ("192.0.2.1", 40000)
B = ("192.0.2.2", 7777)
FLAGS = {"F": pw.FIN, "S": pw.SYN, "R": pw.RST, "P": pw.PSH, "A": pw.ACK}


def segment(src, dst, flags, seq, ack, opts=b"", payload=b""):
    """One IPv4/TCP Ethernet frame between (addr, port) pairs; flags as
    letters.  The option list starts at frame offset 54."""
    fl = sum(FLAGS[c] for c in flags)
    ip = pw.ipv4(src[0], dst[0], pw.tcp(src[1], dst[1], fl, seq, ack, opts, payload))
    return pw.ether(ip)


def write(name, frames):
    p = os.path.join(SCRATCH, name)
    pw.write_pcap(p, [(1.0 + i / 1000, f, len(f)) for i, f in enumerate(frames)])
    os.chmod(p, 0o644)
    return p


def gen_kind69():
    return write("kind69.pcap", [segment(A, B, "S", 1000, 0, SYN_A),
                                 segment(B, A, "SA", 5000, 1001, SYNACK_B),
                                 segment(A, B, "A", 1001, 5001, ACK_A)])


def gen_malformed():
    """Frame 1: ENO with a length byte announcing 2 data bytes where 1
    remains (data_overrun at option offset 2), then MSS.  Frame 2: two ENO
    options.  Frames 3 and 4 (other connections): after MSS, an ENO option
    whose length runs past the header, and one with length 1; the TCP
    dissector does not hand those to the option dissector."""
    bad = b"\x45\x05\x81\xa1\x01"
    a2, a3 = (A[0], A[1] + 1), (A[0], A[1] + 2)
    return write("malformed.pcap",
                 [segment(A, B, "S", 1000, 0, bad + MSS),
                  segment(B, A, "SA", 5000, 1001, SYNACK_B + b"\x45\x03\x01" + MSS),
                  segment(a2, B, "S", 1000, 0, MSS + b"\x45\x08\x21\x22"),
                  segment(a3, B, "S", 1000, 0, MSS + b"\x45\x01\x00\x00")])


def gen_tfo():
    return write("tfo.pcap",
                 [segment(A, B, "S", 1, 0, MSS + b"\xfe\x0c\xf9\x89" + COOKIE),
                  segment(B, A, "SA", 9, 2, MSS + b"\x22\x0a" + COOKIE),
                  segment(A, B, "A", 2, 10, b"\xfe\x04\xf9\x89")])


# ---- tests ----

def test_registration():
    if not ARGS.preload:  # tshark -G plugins hangs under a preloaded ASan runtime
        out = tshark(["-G", "plugins"])
        m = re.search(r"^enoscope\.so\s+(\S+)\s+(\S+)\s", out, re.M)
        check(m is not None, "tshark does not list enoscope.so:\n" + out)
        check(m.group(1) == ARGS.version, "plugin version %s != %s" % (m.group(1), ARGS.version))
        # Since 4.4 the plugin says what it holds (plugin_describe); 4.0 lists
        # every epan plugin as a dissector.
        check(m.group(2).startswith("dissector"), "plugin type %s" % m.group(2))
    registered = set(l.split("\t")[2] for l in tshark(["-G", "fields"]).splitlines()
                     if l.count("\t") >= 2)
    rules = re.findall(r'ENO_RULE\(\w+,\s*"([a-z_.]+)"',
                       open(os.path.join(ARGS.source, "include/eno/rules.def")).read())
    check(len(rules) > 20, "rules.def not parsed")
    missing = [r for r in rules if "tcp.options.eno." + r not in registered]
    check(not missing, "expert fields not registered: %s" % missing)
    experts = tshark(["-G", "fields"])
    for r in ("syntax.data_overrun", "role.passive_b_unset", "legacy.exid_encoding"):
        check(("tcp.options.eno." + r) in experts, r)


def test_tcpcrypt_full():
    pcap = real("01-full-handshake.pcap")
    rows = fields(pcap, ["tcp.options.eno.encoding", "tcp.options.eno.exid",
                         "tcp.options.eno.tep", "tcp.options.eno.analysis.status",
                         "tcp.options.eno.analysis.tep", "tcp.options.eno.analysis.tep_name",
                         "tcp.options.eno.analysis.role", "tcp.options.eno.analysis.finding"])
    f1, f2, f3 = frame(rows, 1), frame(rows, 2), frame(rows, 3)
    check(f1["tcp.options.eno.encoding"] == "1" and f1["tcp.options.eno.exid"] == "0x454e",
          "frame 1 not decoded as the ExID form: %s" % f1)
    check(f1["tcp.options.eno.tep"] == "0x21|0x22", "frame 1 TEPs: %s" % f1)
    check(f3["tcp.options.eno.analysis.status"] == "encrypted", "frame 3: %s" % f3)
    check(f3["tcp.options.eno.analysis.tep"] == "0x21", "frame 3 tep: %s" % f3)
    check(f3["tcp.options.eno.analysis.tep_name"] == "TCPCRYPT_ECDHE_P256", "frame 3: %s" % f3)
    check(f3["tcp.options.eno.analysis.role"] == "A", "frame 3 role: %s" % f3)
    check(f2["tcp.options.eno.analysis.role"] == "B", "frame 2 role: %s" % f2)
    # The draft profile makes both notes.
    for rule, at in (("legacy.exid_encoding", 1), ("role.passive_b_unset", 2)):
        out = tshark(["-r", pcap, "-Y", "tcp.options.eno." + rule, "-T", "fields",
                      "-e", "frame.number", "-e", "_ws.expert.severity",
                      "-e", "_ws.expert.message"])
        lines = out.splitlines()
        check(len(lines) == 1, "%s: expected one frame, got %r" % (rule, lines))
        num, sev, _ = lines[0].split("\t")
        check(num == str(at), "%s on frame %s, expected %d" % (rule, num, at))
        # 0x00400000 is PI_NOTE; the frame may also carry TCP's chat items.
        check("4194304" in sev.split(",") and "8388608" not in sev.split(",") and
              "6291456" not in sev.split(","), "%s severity %s, expected note" % (rule, sev))
    out = tshark(["-r", pcap, "-Y", "tcp.options.eno.role.passive_b_unset", "-T", "pdml"])
    check('showname="Severity level: Note"' in out or "Severity level: Note" in out,
          "role.passive_b_unset is not a note")


def test_tcpcrypt_fallbacks():
    # Only one host sends ENO: every frame of the connection shows its
    # outcome (two passes).
    rows = fields(real("04-fallback-server-lacks-eno.pcap"),
                  ["tcp.options.eno.outcome.status", "tcp.options.eno.outcome.reason",
                   "tcp.options.eno.outcome.tep"], ["-2"])
    got = [(r["tcp.options.eno.outcome.status"], r["tcp.options.eno.outcome.reason"],
            r["tcp.options.eno.outcome.tep"]) for r in rows]
    check(got == [("disabled", "peer-no-eno", "")] * len(rows), "04: %r" % got)
    # No ENO in any segment and no finding: plain TCP, no ENO items at all,
    # in either pass.
    for extra in ((), ("-2",)):
        out = tshark(list(extra) + ["-r", real("05-fallback-client-lacks-eno.pcap"), "-V"])
        check("TCP-ENO" not in out, "05: ENO items on plain TCP:\n" + out[-3000:])


def test_kind69_fields():
    pcap = gen_kind69()
    names = ["tcp.options.eno.kind", "tcp.options.eno.form", "tcp.options.eno.encoding",
             "tcp.options.eno.global.b", "tcp.options.eno.global.a",
             "tcp.options.eno.global.implicit", "tcp.options.eno.tep",
             "tcp.options.eno.tep.name", "tcp.options.eno.tep.v",
             "tcp.options.eno.length_byte", "tcp.options.eno.data_len", "tcp.options.eno.data",
             "tcp.options.eno.nonsyn", "tcp.options.eno.analysis.status",
             "tcp.options.eno.analysis.tep", "tcp.options.eno.analysis.role",
             "tcp.options.eno.analysis.sender", "tcp.options.eno.analysis.syn_frame",
             "tcp.options.eno.analysis.synack_frame", "tcp.options.eno.analysis.ack_frame",
             "tcp.options.eno.analysis.transcript", "tcp.options.eno.analysis.finding"]
    rows = fields(pcap, names)
    f1, f2, f3 = frame(rows, 1), frame(rows, 2), frame(rows, 3)
    check(f1["tcp.options.eno.kind"] == "69" and f1["tcp.options.eno.encoding"] == "0", str(f1))
    check(f1["tcp.options.eno.form"] == "0" and f3["tcp.options.eno.form"] == "1",
          "forms %s %s" % (f1["tcp.options.eno.form"], f3["tcp.options.eno.form"]))
    check(f1["tcp.options.eno.global.implicit"] == "0x00", "implicit global: %s" % f1)
    check(f1["tcp.options.eno.tep"] == "0x22|0x21", "TEPs frame 1: %s" % f1)
    check(f1["tcp.options.eno.tep.name"] == "TCPCRYPT_ECDHE_P521|TCPCRYPT_ECDHE_P256", str(f1))
    check(f1["tcp.options.eno.tep.v"] == "0|1", "v bits: %s" % f1)
    check(f1["tcp.options.eno.length_byte"] == "0x88", "length byte: %s" % f1)
    check(f1["tcp.options.eno.data_len"] == "9", "data len: %s" % f1)
    check(f1["tcp.options.eno.data"] == RESUME.hex(), "data: %s" % f1)
    check(f2["tcp.options.eno.global.b"] == "1" and f2["tcp.options.eno.global.a"] == "0",
          "global of frame 2: %s" % f2)
    check(f3["tcp.options.eno.nonsyn"] == "abcd", "non-SYN contents: %s" % f3)
    check(f1["tcp.options.eno.analysis.status"] == "", "one pass: the SYN shows no status")
    check(f2["tcp.options.eno.analysis.sender"] == "server" and
          f2["tcp.options.eno.analysis.role"] == "B", "frame 2: %s" % f2)
    check(f3["tcp.options.eno.analysis.status"] == "encrypted", "frame 3: %s" % f3)
    check(f3["tcp.options.eno.analysis.tep"] == "0x22", "frame 3: %s" % f3)
    check(f3["tcp.options.eno.analysis.role"] == "A", "frame 3: %s" % f3)
    check(f3["tcp.options.eno.analysis.syn_frame"] == "1" and
          f3["tcp.options.eno.analysis.synack_frame"] == "2" and
          f3["tcp.options.eno.analysis.ack_frame"] == "3", "frame links: %s" % f3)
    check(f3["tcp.options.eno.analysis.transcript"] == (SYN_A + SYNACK_B).hex(),
          "transcript: %s" % f3["tcp.options.eno.analysis.transcript"])
    check(not any(r["tcp.options.eno.analysis.finding"] for r in rows),
          "a clean RFC 8547 handshake has findings: %s" % rows)


def info_column(pcap, plugin_root=None):
    out = tshark(["-r", pcap, "-T", "fields", "-e", "_ws.col.Info"], plugin_root=plugin_root)
    return out.splitlines()


def test_conventions():
    """What a Wireshark regular expects to read: option kinds named as TCP
    names them, the draft form labelled, a TEP's name once per suboption,
    the Info column kept and given an ENO summary, frame links named for
    what they point to, generated items explained."""
    pcap = gen_kind69()
    text = tshark(["-r", pcap, "-Y", "frame.number == 1", "-V"])
    check("Kind: Encryption Negotiation (69)" in text, "kind 69 header:\n" + text)
    option = text[text.index("TCP Option - Encryption Negotiation"):]
    option = option[:option.index("[Timestamps]")] if "[Timestamps]" in option else option
    for name in ("TCPCRYPT_ECDHE_P521", "TCPCRYPT_ECDHE_P256"):
        check(option.count(name) == 1, "%s %d times in the option:\n%s"
              % (name, option.count(name), option))
    # The name stays a field for filters.
    rows = fields(pcap, ["tcp.options.eno.tep.name"])
    check(frame(rows, 1)["tcp.options.eno.tep.name"] ==
          "TCPCRYPT_ECDHE_P521|TCPCRYPT_ECDHE_P256", str(frame(rows, 1)))
    empty = tempfile.mkdtemp(dir=SCRATCH)
    os.chmod(empty, 0o755)
    for cap, want in ((pcap, ["ENO=b0:22,21", "ENO=b1:22", None]),
                      (real("01-full-handshake.pcap"), ["ExID=454E ENO=b0:21,22",
                                                        "ExID=454E ENO=b0:21", None])):
        with_plugin, without = info_column(cap), info_column(cap, plugin_root=empty)
        for i, (w, wo) in enumerate(zip(with_plugin[:3], without[:3])):
            # What Wireshark showed stays, ExID included.
            check(w.startswith(wo.replace(" ExID=454E", "")), "frame %d Info %r, without the "
                  "plugin %r" % (i + 1, w, wo))
            if want[i]:
                check(w.endswith(" " + want[i]), "frame %d Info %r, expected ...%s"
                      % (i + 1, w, want[i]))
            else:
                check("ENO=" not in w, "non-SYN Info %r" % w)
    draft = tshark(["-r", real("01-full-handshake.pcap"), "-Y", "frame.number == 1", "-V"])
    check(re.search(r"TCP Option - Encryption Negotiation \(TCP-ENO\), draft form "
                    r"\(ExID 0x454E\): b=0", draft) is not None and
          re.search(r"Kind: RFC3692-style Experiment [12] \(25[34]\), draft form of ENO", draft)
          is not None, "draft form not labelled:\n" + draft)
    two = tshark(["-2", "-r", pcap, "-Y", "frame.number == 3", "-V"])
    for item in ("[SYN (client): frame 1]", "[SYN-ACK (server): frame 2]",
                 "[Completing ACK (client): frame 3]",
                 "[SYN TEP: 0x21 (TCPCRYPT_ECDHE_P256; the last TEP in A's SYN"):
        check(item in two, "%s missing:\n%s" % (item, two))


def expert_items(pcap, frame_no, name, extra=()):
    """The PDML items that carry expert info name in one frame (the expert's
    own field sits at offset 0; its parent item has the bytes)."""
    root = ET.fromstring(tshark(list(extra) + ["-r", pcap, "-Y", "frame.number == %d" % frame_no,
                                               "-T", "pdml"]))
    hits = []
    for item in root.iter("field"):
        for ws in item.findall("field"):
            if ws.get("name") == "_ws.expert" and \
                    any(f.get("name") == name for f in ws.iter("field")):
                hits.append(item)
    return hits


def test_malformed():
    pcap = gen_malformed()
    rows = fields(pcap, ["tcp.options.mss_val", "tcp.options.eno.kind"])
    check(frame(rows, 1)["tcp.options.mss_val"] == "1460",
          "the option after a malformed ENO option was not dissected: %s" % rows)
    check(frame(rows, 2)["tcp.options.mss_val"] == "1460", "frame 2 MSS: %s" % rows)
    hits = expert_items(pcap, 1, "tcp.options.eno.syntax.data_overrun")
    check(len(hits) == 1, "data_overrun expert: %d" % len(hits))
    # Options start at 54; the length byte is at option offset 2.
    check(hits[0].get("pos") == "56", "data_overrun at %s, expected 56" % hits[0].get("pos"))
    # The option dissector says what the analyzer says: the engine's sentence.
    check(ARGS.enoscope, "enoscope analyzer not built")
    r = subprocess.run([ARGS.enoscope, "check", "--format", "json", pcap],
                       stdout=subprocess.PIPE, universal_newlines=True)
    said = ["syntax.data_overrun: " + f["message"]
            for line in r.stdout.splitlines() if '"connection"' in line
            for f in json.loads(line)["findings"] if f["rule"] == "syntax.data_overrun"]
    shown = tshark(["-r", pcap, "-Y", "frame.number == 1", "-T", "fields",
                    "-E", "occurrence=a", "-E", "aggregator=|",
                    "-e", "_ws.expert.message"]).strip().split("|")
    check(said and said[0] in shown,
          "plugin's data_overrun text %r is not the analyzer's %r" % (shown, said))
    hits = expert_items(pcap, 2, "tcp.options.eno.syntax.multiple_eno")
    check(len(hits) == 1 and hits[0].get("pos") == "58",
          "multiple_eno expert: %r" % [h.attrib for h in hits])
    for n, rule in ((3, "syntax.option_overrun"), (4, "syntax.option_too_short")):
        # The analysis places these itself; two passes place them alike.
        for extra in ((), ("-2",)):
            hits = expert_items(pcap, n, "tcp.options.eno." + rule, extra)
            check(len(hits) == 1 and hits[0].get("pos") == "59",
                  "%s expert at the length byte %s: %r"
                  % (rule, " ".join(extra), [h.attrib for h in hits]))
    # The analysis does not repeat the syntax issue shown at the bytes.
    out = tshark(["-r", pcap, "-Y", "frame.number == 1", "-T", "fields",
                  "-e", "tcp.options.eno.syntax.data_overrun"])
    check(out.strip().count("data_overrun") <= 1, out)
    sev = tshark(["-r", pcap, "-Y", "tcp.options.eno.syntax.data_overrun", "-T", "fields",
                  "-e", "_ws.expert.group"])
    check("117440512" in sev, "data_overrun is not in the Malformed group: %s" % sev)


def strip_eno(text):
    """tshark -V text without the plugin's top-level analysis blocks."""
    out, skip = [], False
    for line in text.splitlines():
        if line.startswith("[TCP-ENO connection"):
            skip = True
            continue
        if skip and line.startswith(" "):
            continue
        skip = False
        out.append(line)
    return out


def test_tfo_unchanged():
    pcap = gen_tfo()
    rows = fields(pcap, ["tcp.options.tfo.request", "tcp.options.tfo.cookie",
                         "tcp.options.experimental.exid", "tcp.options.eno.kind"])
    check(frame(rows, 1)["tcp.options.tfo.cookie"] == COOKIE.hex(), "kind 254 TFO: %s" % rows)
    check(frame(rows, 1)["tcp.options.experimental.exid"] == "0xf989", str(rows))
    check(frame(rows, 2)["tcp.options.tfo.cookie"] == COOKIE.hex(), "kind 34 TFO: %s" % rows)
    check(frame(rows, 3)["tcp.options.tfo.request"] != "", "TFO cookie request: %s" % rows)
    check(not any(r["tcp.options.eno.kind"] for r in rows), "TFO taken for ENO")
    empty = tempfile.mkdtemp(dir=SCRATCH)
    os.chmod(empty, 0o755)
    without = tshark(["-r", pcap, "-V"], plugin_root=empty)
    check("TCP-ENO" not in without, "the reference run loaded the plugin")
    with_plugin = tshark(["-r", pcap, "-V"])
    check(strip_eno(with_plugin) == strip_eno(without),
          "TFO decoding changed with the plugin loaded")


RULE_MESSAGE = re.compile(r"^([a-z_]+\.[a-z_]+): (.*?)(?: \(in frame (\d+)\))?$")


def expert_findings(pcap, extra=()):
    """The plugin's findings as (rule, frame shown on, frame concerned,
    sentence): expert infos whose text starts with a rule id.  A finding
    shown on a later frame than it concerns names that frame."""
    out = tshark(list(extra) + ["-r", pcap, "-T", "fields", "-E", "occurrence=a",
                                "-E", "aggregator=\x01", "-e", "frame.number",
                                "-e", "_ws.expert.message"])
    res = []
    for line in out.splitlines():
        num, _, msgs = line.partition("\t")
        for m in msgs.split("\x01"):
            mm = RULE_MESSAGE.match(m)
            if mm:
                res.append((mm.group(1), int(num), int(mm.group(3) or num), mm.group(2)))
    return res


def all_test_pcaps():
    return [scratch_copy(p) for p in real_captures()] + [gen_kind69(), gen_malformed(),
                                                         gen_tfo()]


def test_two_pass():
    moved = 0
    for pcap in all_test_pcaps():
        one, two = expert_findings(pcap), expert_findings(pcap, ["-2"])
        # Two passes: each finding on the frame it concerns.
        check(all(shown == at for _, shown, at, _ in two), "%s: -2 %r" % (pcap, two))
        # One pass: the same findings, each once, on the frame it concerns
        # or on a later one that names it.
        check(sorted((r, at, m) for r, _, at, m in one) == sorted((r, at, m) for r, _, at, m in two),
              "%s: one pass %r, two passes %r" % (pcap, one, two))
        check(all(shown >= at for _, shown, at, _ in one), "%s: %r" % (pcap, one))
        moved += sum(1 for _, shown, at, _ in one if shown > at)
    check(moved > 0, "no finding became known after its frame was shown")
    pcap = real("mixed.pcapng")
    one = [(r, shown, at) for r, shown, at, _ in expert_findings(pcap)]
    check(("syndata.not_allowed", 23, 21) in one, "one pass, mixed.pcapng: %r" % one)
    two = [(r, shown) for r, shown, _, _ in expert_findings(pcap, ["-2"])]
    check(("syndata.not_allowed", 21) in two, "two passes, mixed.pcapng: %r" % two)
    # The frame a finding concerns, as a field under it where it is shown
    # elsewhere: one pass, on the frame that learnt it; two passes, on the
    # connection's other frames (frame 23 lists frame 21's, frame 21 frame
    # 23's syndata.acked, neither its own).
    late = fields(pcap, ["tcp.options.eno.analysis.finding_frame"])
    check("21" in frame(late, 23)["tcp.options.eno.analysis.finding_frame"].split("|"),
          "one pass, mixed.pcapng frame 23: %r" % frame(late, 23))
    whole = fields(pcap, ["tcp.options.eno.outcome.finding",
                          "tcp.options.eno.outcome.finding_frame"], ["-2"])
    f21 = frame(whole, 21)["tcp.options.eno.outcome.finding_frame"].split("|")
    f23 = frame(whole, 23)["tcp.options.eno.outcome.finding_frame"].split("|")
    check("21" in f23 and "23" not in f23 and "23" in f21 and "21" not in f21,
          "two passes, mixed.pcapng: %r %r" % (frame(whole, 21), frame(whole, 23)))
    pcap = real("01-full-handshake.pcap")
    rows = fields(pcap, ["tcp.options.eno.outcome.status", "tcp.options.eno.outcome.tep",
                         "tcp.options.eno.analysis.status"], ["-2"])
    check(frame(rows, 1)["tcp.options.eno.outcome.status"] == "encrypted" and
          frame(rows, 1)["tcp.options.eno.outcome.tep"] == "0x21",
          "two-pass SYN outcome: %s" % frame(rows, 1))
    # Every frame shows the whole connection, and only that: not the
    # analysis as of the frame beside it.
    check(all(r["tcp.options.eno.outcome.status"] == "encrypted" and
              not r["tcp.options.eno.analysis.status"] for r in rows),
          "two passes: %r" % rows)
    rows = fields(pcap, ["tcp.options.eno.outcome.status"])
    check(not any(r["tcp.options.eno.outcome.status"] for r in rows),
          "one pass cannot know the outcome on the SYN")
    # The analysis sits in the TCP tree, as TCP's own analyses do.
    out = tshark(["-2", "-r", pcap, "-Y", "frame.number == 3", "-V"])
    check(re.search(r"^    \[TCP-ENO analysis \(whole capture\): encrypted", out, re.M)
          is not None and "\n[TCP-ENO" not in out, "not inside the TCP tree:\n" + out)


def outcomes(pcap):
    """first frame -> (status, reason, tep) from the plugin, two-pass."""
    rows = fields(pcap, ["tcp.options.eno.outcome.first_frame", "tcp.options.eno.outcome.status",
                         "tcp.options.eno.outcome.reason", "tcp.options.eno.outcome.tep"], ["-2"])
    res = {}
    for r in rows:
        if r["tcp.options.eno.outcome.status"]:
            tep = r["tcp.options.eno.outcome.tep"]
            res[int(r["tcp.options.eno.outcome.first_frame"])] = (
                r["tcp.options.eno.outcome.status"], r["tcp.options.eno.outcome.reason"] or None,
                int(tep, 16) if tep else None)
    return res


def test_stats():
    pcap = real("01-full-handshake.pcap")
    out = tshark(["-q", "-z", "eno,stat", "-r", pcap])
    check("connections: 1" in out and "status encrypted: 1" in out and
          "tep 0x21 TCPCRYPT_ECDHE_P256: 1" in out, "eno,stat:\n" + out)
    pcap = real("04-fallback-server-lacks-eno.pcap")
    out = tshark(["-q", "-z", "eno,stat", "-r", pcap])
    check("status disabled: 1" in out and "reason peer-no-eno: 1" in out and
          "tep none: 1" in out and "status incomplete: 0" in out, "eno,stat:\n" + out)
    # Counts follow the outcomes of every connection in every capture, as
    # the analyzer gives them, in one pass and in two.
    for pcap in [scratch_copy(p) for p in real_captures()]:
        exp = analyzer_connections(pcap)
        for extra in ((), ("-2",)):
            out = tshark(list(extra) + ["-q", "-z", "eno,stat", "-r", pcap])
            check("connections: %d" % len(exp) in out,
                  "%s: %d connections:\n%s" % (pcap, len(exp), out))
            for st in ("encrypted", "disabled", "no-eno", "incomplete"):
                n = sum(1 for v in exp.values() if v[0] == st)
                check("status %s: %d" % (st, n) in out, "%s: status %s %d\n%s" % (pcap, st, n, out))
        # The tables of the Statistics menu: a row per outcome seen, none at
        # zero (a file already read taps each connection once, as the GUI's
        # dialogs do).
        table = tshark(["-2", "-q", "-z", "eno,table", "-r", pcap])
        rows = dict((m.group(1).strip(), int(m.group(2)))
                    for m in re.finditer(r"^(\S[^|\n]*?)\s*\|(\d+) \|$", table, re.M))
        want = {}
        for st, reason, tep in exp.values():
            for label in (st, reason) + (("0x%02x " % tep,) if tep is not None else ()):
                if label:
                    want[label] = want.get(label, 0) + 1
        got = dict((k if not k.startswith("0x") else k[:5], v) for k, v in rows.items())
        check(got == want and 0 not in rows.values(), "%s: eno,table %r, expected %r\n%s"
              % (pcap, rows, want, table))


def analyzer_json(cap):
    check(ARGS.enoscope and os.path.exists(ARGS.enoscope), "enoscope analyzer not built")
    r = subprocess.run([ARGS.enoscope, "check", "--format", "json", cap],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       universal_newlines=True, timeout=120)
    conns = [o for o in map(json.loads, r.stdout.splitlines()) if o.get("type") == "connection"]
    check(conns, "%s: the analyzer reported no connection (rc %d): %s"
          % (cap, r.returncode, r.stderr[-500:]))
    return conns


def analyzer_connections(cap):
    return dict((o["first_frame"], (o["status"], o["reason"], o["tep"]))
                for o in analyzer_json(cap))


def test_analyzer_agreement():
    caps = real_captures()
    check(caps, "no captures")
    for cap in caps:
        conns = analyzer_json(cap)
        # Connections with ENO items: ENO in a segment (a SYN's, or one a
        # retransmitted SYN dropped: disabled), or a finding.
        want = dict((o["first_frame"], (o["status"], o["reason"], o["tep"])) for o in conns
                    if o["hosts"]["client"]["eno"] or o["hosts"]["server"]["eno"] or
                    o["findings"] or o["status"] in ("encrypted", "disabled"))
        got = outcomes(scratch_copy(cap))
        check(got == want, "%s: plugin %r != analyzer %r" % (cap, got, want))
        # Each finding on the frame the analyzer names, with its sentence.
        want = sorted((f["rule"], f["frames"][0], f["message"]) for o in conns
                      for f in o["findings"])
        got = sorted((r, shown, m) for r, shown, _, m in
                     expert_findings(scratch_copy(cap), ["-2"]))
        check(got == want, "%s: plugin's findings %r != analyzer's %r" % (cap, got, want))


def expectations(cap):
    """(connections, {first frame: (status, reason, tep or "", [rules])}) from the
    capture's .scn or .expect file, or None when it has none."""
    base = re.sub(r"\.pcap(ng)?$", "", cap)
    for ext in (".scn", ".expect"):
        if os.path.exists(base + ext):
            break
    else:
        return None
    conns, exp = None, {}
    for line in open(base + ext):
        w = line.split()
        if not w:
            continue
        if w[0] == "expect-connections":
            conns = int(w[1])
        elif w[0] == "expect":
            kv = dict(x.split("=", 1) for x in w[2:])
            rules = [] if kv["findings"] == "none" else \
                sorted(x.split("@")[0] for x in kv["findings"].split(","))
            exp[int(w[1])] = (kv["status"], kv.get("reason"), kv.get("tep"), rules)
    return conns, exp


def test_expectations():
    checked = 0
    for cap in real_captures():
        e = expectations(cap)
        if e is None:
            continue
        conns, exp = e
        rows = fields(scratch_copy(cap), ["tcp.options.eno.outcome.first_frame",
                                          "tcp.options.eno.outcome.status",
                                          "tcp.options.eno.outcome.reason",
                                          "tcp.options.eno.outcome.tep",
                                          "tcp.options.eno.outcome.finding",
                                          "tcp.options.eno.analysis.finding"], ["-2"])
        got, found = {}, {}
        for r in rows:
            if r["tcp.options.eno.outcome.status"]:
                ff = int(r["tcp.options.eno.outcome.first_frame"])
                # Each frame lists the findings of the others; its own come
                # in full, as analysis items.
                for name in ("tcp.options.eno.outcome.finding", "tcp.options.eno.analysis.finding"):
                    for f in filter(None, r[name].split("|")):
                        found.setdefault(ff, []).append((f, r["frame"] if "analysis" in name
                                                         else None))
                got[ff] = (r["tcp.options.eno.outcome.status"],
                           r["tcp.options.eno.outcome.reason"] or None,
                           r["tcp.options.eno.outcome.tep"] or "none", [])
        for ff in got:
            got[ff] = got[ff][:3] + (sorted(f for f, at in found.get(ff, ()) if at),)
        # Plain TCP connections (no ENO, no finding) get no ENO items.
        # An incomplete one without findings has them if it had ENO in a
        # segment, which the expectation lines do not say.
        plain = [ff for ff, (st, _, _, rules) in exp.items() if st == "no-eno" and not rules]
        maybe = [ff for ff, (st, _, _, rules) in exp.items() if st == "incomplete" and not rules]
        if conns is not None and conns == len(exp):
            n = len([ff for ff in got if ff not in maybe])
            check(n == conns - len(plain) - len(maybe),
                  "%s: %d connections with ENO items, expected %d"
                  % (cap, n, conns - len(plain) - len(maybe)))
        for ff, (st, reason, tep, rules) in exp.items():
            if ff in plain:
                check(ff not in got, "%s: ENO items on plain TCP at frame %d" % (cap, ff))
                continue
            if ff in maybe and ff not in got:
                continue
            check(ff in got, "%s: no connection at frame %d: %r" % (cap, ff, got))
            g_st, g_reason, g_tep, g_rules = got[ff]
            want_tep = tep if tep in (None, "none") else "0x%02x" % int(tep, 16)
            ok = g_st == st and g_reason == reason and g_rules == rules and \
                (want_tep is None or g_tep == want_tep)
            check(ok, "%s frame %d: plugin %r, expected %r" % (cap, ff, got[ff],
                                                              (st, reason, tep, rules)))
        checked += 1
    check(checked > 0, "no capture with expectation lines")
    print("%d captures match their expectation lines" % checked)


# ---- how the analysis gets the TCP segments ----

SYN_69 = b"\x45\x03\x21"           # kind 69, TEP 0x21
SYNACK_69 = b"\x45\x04\x01\x21"   # b=1, TEP 0x21
GTP_PORT = 2152                    # GTP-U over TCP: IP inside TCP


def gen_headers():
    """Frame 1: an ICMP error quoting a SYN with ENO.  2: that SYN.  3 and 4:
    the SYN-ACK in two IPv4 fragments (the TCP header is cut in the first).
    5: the ACK.  6: a SYN of another connection inside IP in IP.  7 to 9: a
    handshake on the GTP port whose data (10, 11) carries the SYN and
    SYN-ACK of a third connection; only the outer TCP header of a frame
    counts, as it always did."""
    a, b = A[0], B[0]
    syn = pw.ipv4(a, b, pw.tcp(A[1], B[1], pw.SYN, 1000, 0, SYN_69))
    icmp = struct.pack("!BBHI", 3, 3, 0, 0) + syn
    synack = pw.tcp(B[1], A[1], pw.SYN | pw.ACK, 5000, 1001, SYNACK_69 + MSS)
    tunnelled = pw.ipv4("198.51.100.1", b,
                        pw.tcp(40001, B[1], pw.SYN, 7, 0, SYN_69))
    out_c, out_s = ("10.0.0.1", 30000), ("10.0.0.2", GTP_PORT)

    def gtp(inner):
        return struct.pack("!BBHI", 0x30, 0xFF, len(inner), 1) + inner

    inner_syn = pw.ipv4("203.0.113.1", "203.0.113.2", pw.tcp(50000, 443, pw.SYN, 9, 0, SYN_69))
    inner_synack = pw.ipv4("203.0.113.2", "203.0.113.1",
                           pw.tcp(443, 50000, pw.SYN | pw.ACK, 90, 10, SYNACK_69))
    return write("headers.pcap", [
        pw.ether(pw.ipv4(b, a, icmp, proto=1)),
        pw.ether(syn),
        pw.ether(pw.ipv4(b, a, synack[:16], frag=0x2000, ident=77)),
        pw.ether(pw.ipv4(b, a, synack[16:], frag=2, ident=77)),
        segment(A, B, "A", 1001, 5001, b"\x45\x02"),
        pw.ether(pw.ipv4("10.0.0.1", "10.0.0.2", tunnelled, proto=4)),
        segment(out_c, out_s, "S", 100, 0),
        segment(out_s, out_c, "SA", 900, 101),
        segment(out_c, out_s, "A", 101, 901),
        segment(out_c, out_s, "PA", 101, 901, b"", gtp(inner_syn)),
        segment(out_s, out_c, "PA", 901, 101 + 8 + len(inner_syn), b"", gtp(inner_synack))])


def test_hook_headers():
    pcap = gen_headers()
    for extra in ((), ("-2",)):
        which = "outcome" if extra else "analysis"
        rows = fields(pcap, ["frame.protocols", "tcp.options.eno.analysis.sender",
                             "tcp.options.eno.%s.status" % which,
                             "tcp.options.eno.%s.first_frame" % which], extra)
        got = [(r["frame"], r["tcp.options.eno.analysis.sender"],
                r["tcp.options.eno.%s.status" % which],
                r["tcp.options.eno.%s.first_frame" % which])
               for r in rows if r["tcp.options.eno.%s.first_frame" % which]]
        # The quoted SYN (1) is not the connection's first frame; the
        # reassembled SYN-ACK is seen in frame 4; the GTP-carried SYN-ACK
        # (11) is not analysed, the outer segments of frame 8 are.
        # One pass shows the analysis as of the frame, two passes the
        # outcome; the outer GTP connection (7 to 11) has no ENO: no items.
        want = [("4", "server", "incomplete", "2"), ("5", "client", "encrypted", "2")]
        if extra:
            want = [("2", "client", "encrypted", "2")] + \
                [(n, s, "encrypted", "2") for n, s, _, _ in want] + \
                [("6", "client", "incomplete", "6")]
        check(got == want, "%s: analysis items %r, expected %r" % (" ".join(extra), got, want))
        check(frame(rows, 11)["frame.protocols"].endswith(":gtp:ip:tcp"),
              "GTP did not carry TCP: %s" % frame(rows, 11))
    out = tshark(["-q", "-z", "eno,stat", "-r", pcap])
    check("connections: 3" in out, "ICMP-quoted, tunnelled or GTP-carried headers counted:\n"
          + out)


def test_hook_unchanged():
    """TCP dissects as without the plugin: one "tcp" layer per header, the
    ip.proto entry still TCP's protocol, disabling either protocol works."""
    empty = tempfile.mkdtemp(dir=SCRATCH)
    os.chmod(empty, 0o755)
    for pcap in [gen_headers(), gen_kind69(), real("01-full-handshake.pcap")]:
        # (The Info column differs: it names ENO options.)
        args = ["-r", pcap, "-T", "fields", "-e", "frame.protocols", "-e", "tcp.stream",
                "-e", "tcp.len", "-e", "tcp.seq", "-e", "tcp.ack", "-e", "tcp.flags",
                "-e", "tcp.analysis.flags", "-e", "ip.proto"]
        check(tshark(args) == tshark(args, plugin_root=empty),
              "%s: TCP decodes differently with the plugin" % pcap)
    decodes = tshark(["-G", "decodes"])
    check(re.search(r"^ip\.proto\t6\ttcp$", decodes, re.M) is not None,
          "ip.proto 6 is no longer TCP's")
    pcap = gen_kind69()
    rows = fields(pcap, ["frame.protocols", "tcp.options.eno.tep",
                         "tcp.options.eno.analysis.status"], ["--disable-protocol", "enoscope"])
    check(frame(rows, 1)["tcp.options.eno.tep"] == "0x22|0x21" and
          not any(r["tcp.options.eno.analysis.status"] for r in rows),
          "analysis disabled: %r" % rows)
    rows = fields(pcap, ["frame.protocols", "tcp.options.eno.analysis.status"],
                  ["--disable-protocol", "tcp"])
    check(all(r["frame.protocols"] == "eth:ethertype:ip:data" and
              not r["tcp.options.eno.analysis.status"] for r in rows),
          "TCP disabled: %r" % rows)


def test_port_reuse():
    """A connection that settled, a retransmission of its SYN (same ISN,
    ignored), then a SYN with a new ISN: a second connection."""
    c = pw.Conn(A[0], B[0], A[1], B[1])
    pw.eno_success(c)
    c.send(0, pw.SYN, SYN_69, seq=1000)     # retransmitted SYN, frame 6
    c.seq = [70000, 90000]
    pw.eno_success(c)                       # frames 7 to 11
    pcap = os.path.join(SCRATCH, "reuse.pcap")
    pw.write_pcap(pcap, c.frames)
    os.chmod(pcap, 0o644)
    got = outcomes(pcap)
    check(got == {1: ("encrypted", None, 0x21), 7: ("encrypted", None, 0x21)},
          "port reuse: %r" % got)
    out = tshark(["-q", "-z", "eno,stat", "-r", pcap])
    check("connections: 2" in out and "status encrypted: 2" in out, "eno,stat:\n" + out)


def gen_lone_syns():
    """SYNs that nothing answers, each with a finding of the analysis alone:
    frames 1 and 2 with draft-form ENO (legacy.exid_encoding), frame 2
    replaced by frame 3, a SYN with a new ISN on the same flow; frame 4
    without ENO, its options cut by the snapshot length
    (capture.options_truncated)."""
    f4 = segment((A[0], 40003), B, "S", 3000, 0, MSS + b"\x01\x01\x04\x02")
    frames = [segment((A[0], 40001), B, "S", 1000, 0, MSS + b"\xfd\x06\x45\x4e\x00\x21"),
              segment((A[0], 40002), B, "S", 2000, 0, b"\xfd\x06\x45\x4e\x00\x22" + MSS),
              segment((A[0], 40002), B, "S", 9000, 0, b"\x45\x03\x21" + MSS)]
    p = os.path.join(SCRATCH, "lone.pcap")
    pw.write_pcap(p, [(1.0 + i / 1000, f, len(f)) for i, f in enumerate(frames)] +
                  [(1.003, f4[:56], len(f4))])
    os.chmod(p, 0o644)
    return p, cut_syn(f4)


def cut_syn(frame):
    """A capture of frame 4 alone: no connection with ENO anywhere."""
    p = os.path.join(SCRATCH, "cut-syn.pcap")
    pw.write_pcap(p, [(1.0, frame[:56], len(frame))])
    os.chmod(p, 0o644)
    return p


def test_lone_syn():
    """A connection's lone first SYN is judged only when something can see
    it (a tree, a listener of the statistics or the expert infos, an expert
    column) or later: its findings are the same wherever they are looked
    at."""
    pcap, cut = gen_lone_syns()
    want = sorted([("legacy.exid_encoding", 1), ("legacy.exid_encoding", 2),
                   ("capture.options_truncated", 4)])
    # Two passes: the first has no tree; the second judges each SYN when it
    # reaches it (frame 4's connection has no ENO at all).
    two = sorted((r, shown) for r, shown, at, _ in expert_findings(pcap, ["-2"]))
    check(two == want, "-2: %r" % two)
    one = sorted((r, shown) for r, shown, at, _ in expert_findings(pcap))
    check(one == want, "one pass with a tree: %r" % one)
    two = [(r, shown) for r, shown, at, _ in expert_findings(cut, ["-2"])]
    check(two == [("capture.options_truncated", 1)], "-2, no ENO anywhere: %r" % two)
    # One pass, no tree: the expert tap's listener sees the analysis'
    # findings of the lone SYNs.
    out = tshark(["-n", "-q", "-r", pcap, "-z", "expert"])
    for rule, n in (("legacy.exid_encoding", 2), ("capture.options_truncated", 1)):
        m = re.search(r"^\s+(\d+)\s.*\s%s: " % re.escape(rule), out, re.M)
        check(m is not None and int(m.group(1)) == n,
              "-z expert: %s not %d times:\n%s" % (rule, n, out))
    # One pass, no tree, an expert column: frame 1's only note is the
    # analysis' (TCP's own SYN item is a chat).
    out = tshark(["-n", "-r", pcap, "-o", 'gui.column.format:"No.","%m","Expert","%a"'])
    col = dict(line.split(None, 1) for line in out.splitlines() if line.strip())
    check(col.get("1", "").strip() == "Note", "expert column: %r" % col)
    # Without a tree or a listener nothing changes in what tshark prints.
    out = tshark(["-n", "-r", pcap])
    check("ExID=454E ENO=b0:21" in out.splitlines()[0], out)


TESTS = {n[5:]: f for n, f in globals().items() if n.startswith("test_")}


def main():
    global ARGS, SCRATCH
    ap = argparse.ArgumentParser()
    ap.add_argument("test", choices=sorted(TESTS))
    ap.add_argument("--plugin-root", required=True)
    ap.add_argument("--abi", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("--version", required=True)
    ap.add_argument("--enoscope")
    ap.add_argument("--preload", help="LD_PRELOAD for tshark (ASan runtime)")
    ARGS = ap.parse_args()
    SCRATCH = tempfile.mkdtemp(prefix="eno-plugin-test-")
    os.chmod(SCRATCH, 0o777)
    try:
        TESTS[ARGS.test]()
    finally:
        shutil.rmtree(SCRATCH, ignore_errors=True)
    print("ok")


if __name__ == "__main__":
    main()
