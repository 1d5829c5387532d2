# SPDX-License-Identifier: GPL-2.0-or-later
"""-j N: inputs read at once give the output of a serial run, byte for byte,
in every format, with faults, stops and a closed output handled as a
serial run handles them."""
import glob
import gzip
import json
import os
import re
import signal
import subprocess

from pcapwrite import Conn, eno_success, pcap_bytes
from harness import case, check
from cases_stop import big_capture, wait_for_output


def corpus(ctx):
    root = os.path.join(os.path.dirname(ctx.rules_def), "..", "..", "captures")
    found = sorted(glob.glob(os.path.join(root, "**", "*.pcap"), recursive=True) +
                   glob.glob(os.path.join(root, "**", "*.pcapng"), recursive=True))
    check(len(found) > 50, "the bundled captures", found)
    return found


def faulty_inputs(ctx):
    """A missing file, a truncated capture, garbage and a gzip-compressed one
    (read by wiretap), between good ones."""
    good = eno_success(Conn("192.0.2.1", "192.0.2.2", 40000, 443)).frames
    whole = pcap_bytes(good)
    trunc = ctx.path("truncated.pcap")
    with open(trunc, "wb") as f:
        f.write(whole[:-7])
    junk = ctx.path("garbage.pcap")
    with open(junk, "wb") as f:
        f.write(b"\x00garbage" * 10)
    gz = ctx.path("compressed.pcap.gz")
    with gzip.open(gz, "wb") as f:
        f.write(whole)
    return [trunc, ctx.path("missing.pcap"), junk, gz]


def normalized(fmt, text):
    # A JUnit testsuite's time is how long it took: the one figure that varies.
    return re.sub(r' time="[0-9.]+"', "", text) if fmt == "junit" else text


@case
def jobs_same_output(ctx):
    """Every bundled capture plus faulty inputs: -j 2 and -j 5 print what -j 1
    prints, on stdout and stderr, with the same exit code."""
    inputs = corpus(ctx)
    mixed = inputs[:3] + faulty_inputs(ctx) + inputs[3:]
    env = {"SOURCE_DATE_EPOCH": "1"}
    for fmt in ("text", "json", "junit"):
        base = ctx.run("check", "--no-config", "--format", fmt, *mixed, env=env)
        check(base.returncode == 2, "the faulty inputs make it exit 2", base.err)
        check(base.err.count("error:") == 3, "three inputs fail", base.err)
        for jobs in ("2", "5"):
            r = ctx.run("check", "--no-config", "-j", jobs, "--format", fmt, *mixed, env=env)
            check(r.returncode == base.returncode, "%s -j %s: exit %d, serial %d" %
                  (fmt, jobs, r.returncode, base.returncode), r.err)
            check(normalized(fmt, r.out) == normalized(fmt, base.out),
                  "%s -j %s: stdout differs from the serial run's" % (fmt, jobs),
                  r.out[-2000:], base.out[-2000:])
            check(r.err == base.err, "%s -j %s: stderr differs" % (fmt, jobs), r.err, base.err)
    # Not a comparison of two empty outputs.
    objs = [json.loads(line) for line in
            ctx.run("check", "--no-config", "-j", "3", "--format", "json", *mixed).out.splitlines()]
    summary = objs[-1]
    check(summary["type"] == "summary" and len(summary["inputs"]) == len(mixed) and
          summary["connections"] > 100, "the summary lists every input", summary)
    check([i["file"] for i in summary["inputs"]] == mixed, "inputs in the order given",
          summary["inputs"])


@case
def jobs_directory_and_stdin(ctx):
    """A directory argument and standard input among the inputs."""
    sub = ctx.path("dir")
    os.makedirs(sub)
    for i in range(6):
        c = eno_success(Conn("192.0.2.%d" % (i + 1), "198.51.100.1", 40000 + i, 443))
        with open(os.path.join(sub, "c%d.pcap" % i), "wb") as f:
            f.write(pcap_bytes(c.frames))
    stdin = pcap_bytes(eno_success(Conn("192.0.2.9", "198.51.100.9", 41000, 443)).frames)
    base = ctx.run("check", "--no-config", "--format", "json", sub, "-", stdin_bytes=stdin)
    r = ctx.run("check", "--no-config", "-j", "4", "--format", "json", sub, "-",
                stdin_bytes=stdin)
    check(base.returncode == 0 and r.returncode == 0, "exit codes", base.err, r.err)
    check(r.out == base.out and r.err == base.err, "same output", r.out, base.out)
    check(json.loads(r.out.splitlines()[-1])["connections"] == 7, "seven connections", r.out)


@case
def jobs_bad_filter(ctx):
    """A filter that does not compile stops the run at the first input, as
    in a serial run: one message, no totals, exit 2."""
    a = ctx.path("a.pcap")
    with open(a, "wb") as f:
        f.write(pcap_bytes(eno_success(Conn("192.0.2.1", "192.0.2.2", 40000, 443)).frames))
    args = ["check", "--no-config", "-f", "tcp port", a, a, a]
    base = ctx.run(*args)
    r = ctx.run("check", "-j", "3", *args[1:])
    check(base.returncode == 2 and r.returncode == 2, "exit 2", base.err, r.err)
    check(r.out == base.out == "", "no output", r.out)
    check(r.err == base.err and r.err.count("invalid filter") == 1, "one message", r.err)


@case
def jobs_count(ctx):
    """-c counts packets over the inputs in order: with -j the result is the
    serial one."""
    p, frames = big_capture(ctx, "big.pcap", 200)
    args = ["--no-config", "--format", "json", "-c", "1500", p, p, p]
    base = ctx.run("check", *args)
    r = ctx.run("check", "-j", "3", *args)
    check(r.out == base.out and r.returncode == base.returncode, "same output", r.out[-500:])
    check(json.loads(r.out.splitlines()[-1])["packets"] == 1500, "1500 packets", r.out[-500:])


@case
def jobs_usage(ctx):
    a = ctx.path("a.pcap")
    with open(a, "wb") as f:
        f.write(pcap_bytes([]))
    for bad in ("0", "-1", "x", "257", ""):
        r = ctx.run("check", "-j", bad, a)
        check(r.returncode == 2 and "-j needs a number of inputs from 1 to 256" in r.err,
              "-j %r refused" % bad, r.err)
    r = ctx.run("check", "-j", "2", "-i", "lo")
    check(r.returncode == 2 and "does not apply to a live capture" in r.err, "-j with -i", r.err)
    r = ctx.run("check", "--jobs=256", "--no-config", a, a)
    check(r.returncode == 0 and "2 files" in r.out, "--jobs=256 on two files", r.out, r.err)


@case
def jobs_no_temporary_files(ctx):
    """Without a place for temporary files, the inputs are read one after
    another, after a warning."""
    a = ctx.path("a.pcap")
    with open(a, "wb") as f:
        f.write(pcap_bytes(eno_success(Conn("192.0.2.1", "192.0.2.2", 40000, 443)).frames))
    base = ctx.run("check", "--no-config", a, a)
    r = ctx.run("check", "--no-config", "-j", "2", a, a,
                env={"TMPDIR": ctx.path("does-not-exist")})
    check(r.returncode == 0 and r.out == base.out, "same output", r.out, base.out)
    check(r.err.startswith("enoscope: warning: -j needs temporary files") and
          "one after another" in r.err, "the warning", r.err)


@case
def jobs_sigint(ctx):
    """A signal during a -j run: the inputs being read are judged as far as
    they were read, the others are listed as not read, and the output stays
    one well-formed JSON Lines stream whose summary counts what it shows."""
    p, frames = big_capture(ctx, "big.pcap", 20000)
    # More inputs than -j 2 starts ahead of the one being reported (8).
    inputs = [p] * 12
    proc = subprocess.Popen([ctx.enoscope, "check", "--no-config", "-j", "2", "--format",
                             "json"] + inputs, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    wait_for_output(proc, proc.stdout)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=300)
    out, err = out.decode(), err.decode()
    check(proc.returncode in (0, 1), "exit %d" % proc.returncode, err)
    objs = [json.loads(line) for line in out.splitlines()]
    check(objs and objs[-1]["type"] == "summary", "the summary comes last", out[-500:])
    summary = objs[-1]
    check(summary["connections"] == len(objs) - 1, "the summary counts what was shown", summary)
    statuses = [i["status"] for i in summary["inputs"]]
    check(len(statuses) == 12 and "not-read" in statuses, "inputs not read are listed", statuses)
    check(summary["packets"] < 12 * frames, "the stop came before the end", summary)
    check(statuses == sorted(statuses, key=lambda s: s == "not-read"),
          "inputs read come before those not read", statuses)
    check("error" not in err, "a stop is not a fault", err)


@case
def jobs_closed_output(ctx):
    """| head: the run ends quietly, with no error."""
    p, frames = big_capture(ctx, "big.pcap", 20000)
    proc = subprocess.Popen([ctx.enoscope, "check", "--no-config", "-j", "2",
                             "--connections=all", p, p, p, p], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    first = proc.stdout.readline()
    proc.stdout.close()
    err = proc.stderr.read().decode()
    rc = proc.wait(timeout=300)
    check(first.startswith(p.encode()), "a connection line first", first)
    check(rc in (0, 1) and err == "", "quiet end, exit %d" % rc, err)
