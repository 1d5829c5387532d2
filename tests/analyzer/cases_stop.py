# SPDX-License-Identifier: GPL-2.0-or-later
"""Ending a run early: SIGINT and SIGTERM leave complete output and the
totals, a closed standard output ends the run quietly."""
import json
import os
import pty
import select
import signal
import subprocess
import threading
import time

from pcapwrite import Conn, eno_success, pcap_bytes
from harness import Failure, case, check


def big_capture(ctx, name, conns):
    """conns ENO successes (5 frames each) on distinct client ports, written
    by patching one connection's frames."""
    frames = eno_success(Conn("192.0.2.1", "192.0.2.2", 1024, 443)).frames
    p = ctx.path(name)
    with open(p, "wb") as out:
        out.write(pcap_bytes([]))
        for i in range(conns):
            port = (1024 + i % 60000).to_bytes(2, "big")
            client = (1 + i // 60000).to_bytes(1, "big")
            chunk = []
            for n, (ts, data, wire) in enumerate(frames):
                d = bytearray(data)
                from_client = n in (0, 2, 3)
                # Ethernet 14 + IPv4 20: TCP ports at 34 and 36; the client's
                # address is the IPv4 source (29) or destination (33).
                d[34 if from_client else 36:36 if from_client else 38] = port
                d[29 if from_client else 33] = client[0]
                chunk.append((ts + i * 0.01, bytes(d), wire))
            out.write(pcap_bytes(chunk)[24:])
    return p, conns * 5


def parse_lines(out):
    objs = [json.loads(line) for line in out.splitlines()]
    return objs


def wait_for_output(proc, fd, timeout=60):
    """Waits until fd (the child's stdout) has data or the child ended."""
    end = time.monotonic() + timeout
    while time.monotonic() < end and proc.poll() is None:
        r, _, _ = select.select([fd], [], [], 0.05)
        if r:
            return


@case
def sigint_large_file(ctx):
    p, frames = big_capture(ctx, "big.pcap", 60000)
    for sig in (signal.SIGINT, signal.SIGTERM):
        proc = subprocess.Popen([ctx.enoscope, "check", "--format", "json", p],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        wait_for_output(proc, proc.stdout)
        proc.send_signal(sig)
        out, err = proc.communicate(timeout=300)
        out, err = out.decode(), err.decode()
        check(proc.returncode in (0, 1), "exit %d after %s" % (proc.returncode, sig), err)
        objs = parse_lines(out)   # every line parses
        check(objs and objs[-1]["type"] == "summary", "no summary last", out[-500:])
        summary = objs[-1]
        check(all(o["type"] == "connection" for o in objs[:-1]), "objects", out[-500:])
        check(summary["connections"] == len(objs) - 1, "summary counts the connections shown",
              summary)
        check(summary["packets"] <= frames, "packet count", summary)
        check("error" not in err and "truncated" not in err, "a stop is not a fault", err)
        print("%s after %d of %d packets" % (sig.name, summary["packets"], frames))


@case
def sigint_pipe(ctx):
    """A pipe that stays open: the signal interrupts the blocked read; what
    was read is judged and the totals printed."""
    a = eno_success(Conn("192.0.2.1", "192.0.2.2", 40000, 443)).frames
    b = Conn("192.0.2.3", "192.0.2.4", 40001, 443, ts=2.0)
    b.send(0, 0x02, b"\x45\x03\x21")          # a SYN, then nothing
    rfd, wfd = os.pipe()
    proc = subprocess.Popen([ctx.enoscope, "check", "--format", "json", "-"], stdin=rfd,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    os.close(rfd)
    os.write(wfd, pcap_bytes(b.frames + a))
    line = proc.stdout.readline()             # the settled connection, at once
    check(json.loads(line)["status"] == "encrypted", "first verdict", line)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=120)
    os.close(wfd)
    objs = parse_lines(out.decode())
    check(proc.returncode == 0, "exit %d" % proc.returncode, err)
    check(len(objs) == 2 and objs[0]["status"] == "incomplete" and objs[0]["first_frame"] == 1,
          "the pending connection is judged", out)
    check(objs[1]["type"] == "summary" and objs[1]["packets"] == 6
          and objs[1]["connections"] == 2, "summary", out)
    check(b"error" not in err, "a stop is not a fault", err)


@case
def sigint_before_read(ctx):
    """A signal that comes after the reader last looked for a stop and
    before its read() of a pipe blocks still ends the run: a preloaded
    read() (slow_pipe_read.c) waits 0.3 s before it blocks on an empty
    pipe, and the signal is sent during that wait."""
    shim = os.environ.get("ENOSCOPE_SLOW_PIPE_READ")
    check(shim and os.path.exists(shim), "ENOSCOPE_SLOW_PIPE_READ names the preloaded "
          "library (ctest sets it)", shim)
    env = dict(os.environ)
    env["LD_PRELOAD"] = shim
    # ASan must then accept a library loaded ahead of its own.
    env["ASAN_OPTIONS"] = ":".join(filter(None, [env.get("ASAN_OPTIONS"),
                                                 "verify_asan_link_order=0"]))
    a = eno_success(Conn("192.0.2.1", "192.0.2.2", 40000, 443)).frames
    for sig in (signal.SIGINT, signal.SIGTERM):
        rfd, wfd = os.pipe()
        proc = subprocess.Popen([ctx.enoscope, "check", "--format", "json", "-"], stdin=rfd,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        os.close(rfd)
        os.write(wfd, pcap_bytes(a))
        line = proc.stdout.readline()         # all is read: the next read waits
        check(json.loads(line)["status"] == "encrypted", "first verdict", line)
        proc.send_signal(sig)
        try:
            out, err = proc.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
            raise Failure("still reading 60 s after %s" % sig.name)
        finally:
            os.close(wfd)
        objs = parse_lines(out.decode())
        check(proc.returncode == 0, "exit %d after %s" % (proc.returncode, sig.name), err)
        check(len(objs) == 1 and objs[0]["type"] == "summary" and objs[0]["packets"] == 5
              and objs[0]["connections"] == 1, "summary after %s" % sig.name, out)
        check(b"error" not in err, "a stop is not a fault", err)


@case
def sigint_progress_bar(ctx):
    """With stderr on a terminal the bar is drawn; a signal erases it."""
    p, frames = big_capture(ctx, "big.pcap", 60000)
    master, slave = pty.openpty()
    proc = subprocess.Popen([ctx.enoscope, "check", p], stdout=subprocess.PIPE,
                            stderr=slave)
    os.close(slave)
    seen = b""
    end = time.monotonic() + 120
    while b"[" not in seen and time.monotonic() < end and proc.poll() is None:
        r, _, _ = select.select([master], [], [], 0.05)
        if r:
            seen += os.read(master, 4096)
    proc.send_signal(signal.SIGINT)
    out, _ = proc.communicate(timeout=300)
    while True:
        try:
            r, _, _ = select.select([master], [], [], 0.2)
            if not r:
                break
            chunk = os.read(master, 4096)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    os.close(master)
    check(proc.returncode in (0, 1), "exit %d" % proc.returncode, seen)
    if b"%" in seen:   # a bar was drawn: it must be erased
        check(seen.endswith(b"\r\x1b[K"), "the bar is left on screen", seen[-200:])
    lines = out.decode().splitlines()
    check(len(lines) >= 3 and lines[-2].startswith("enoscope: ") and
          lines[-1].startswith("enoscope: "), "the totals", lines[-3:])


@case
def closed_output(ctx):
    p, frames = big_capture(ctx, "big.pcap", 20000)
    proc = subprocess.Popen([ctx.enoscope, "check", p], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    first = proc.stdout.readline()
    proc.stdout.close()                       # as `| head -1` does
    err = proc.stderr.read()
    proc.wait(timeout=300)
    check(b"connection" in first, "first line", first)
    check(proc.returncode in (0, 1), "exit %d (killed by SIGPIPE?)" % proc.returncode, err)
    check(err == b"", "a closed output ends the run quietly", err)


@case
def pipe_verdict_before_close(ctx):
    """Live traffic on a pipe (stamps of now): an ENO handshake without
    payload is judged about a second after it completes, while the pipe
    stays open; a replayed old capture is not judged early."""
    from pcapwrite import handshake
    now = time.time()
    c = Conn("192.0.2.1", "192.0.2.2", 40000, 443, ts=now)
    handshake(c, b"\x45\x03\x21", b"\x45\x04\x01\x21", b"\x45\x02", payloads=False)
    rfd, wfd = os.pipe()
    proc = subprocess.Popen([ctx.enoscope, "check", "--format", "json", "-"], stdin=rfd,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    os.close(rfd)
    os.write(wfd, pcap_bytes(c.frames))
    r, _, _ = select.select([proc.stdout], [], [], 60)
    check(r and proc.poll() is None, "no verdict while the pipe is open")
    conn = json.loads(proc.stdout.readline())
    check(conn["status"] == "encrypted" and conn["frames"]["ack"] == 3, "verdict", conn)
    os.close(wfd)
    out, err = proc.communicate(timeout=60)
    check(proc.returncode == 0, "exit", err)
    check(json.loads(out.decode().splitlines()[-1])["connections"] == 1, "summary", out)
    # The same handshake stamped in 2001, then a pause: nothing yet (the
    # capture's clock is not the wall clock), all at the end.
    old = Conn("192.0.2.1", "192.0.2.2", 40000, 443, ts=1e9)
    handshake(old, b"\x45\x03\x21", b"\x45\x04\x01\x21", b"\x45\x02", payloads=False)
    rfd, wfd = os.pipe()
    proc = subprocess.Popen([ctx.enoscope, "check", "--format", "json", "-"], stdin=rfd,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    os.close(rfd)
    os.write(wfd, pcap_bytes(old.frames))
    r, _, _ = select.select([proc.stdout], [], [], 3)
    check(not r, "a replayed capture was judged before its end")
    os.close(wfd)
    out, err = proc.communicate(timeout=60)
    lines = out.decode().splitlines()
    check(len(lines) == 2 and json.loads(lines[0])["status"] == "encrypted", "at the end", out)


@case
def signals_while_writing(ctx):
    """Signals that keep coming while the output is written, its pipe read
    slowly: the run stops at the first, and no later one cuts what is
    still being written (stdio gives up a write that a signal
    interrupts)."""
    p, frames = big_capture(ctx, "big.pcap", 60000)
    proc = subprocess.Popen([ctx.enoscope, "check", "--format", "json", p],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    wait_for_output(proc, proc.stdout)
    # Nothing is read for a moment: the writer fills the pipe and blocks.
    time.sleep(0.5)
    done = threading.Event()

    def keep_signalling():
        sigs = (signal.SIGINT, signal.SIGTERM)
        n = 0
        while not done.is_set() and proc.poll() is None:
            try:
                proc.send_signal(sigs[n % 2])
            except ProcessLookupError:
                break
            n += 1
            time.sleep(0.001)

    sender = threading.Thread(target=keep_signalling)
    sender.start()
    out = b""
    fd = proc.stdout.fileno()
    try:
        while True:
            time.sleep(0.002)       # a slow reader: writes block, signals land
            chunk = os.read(fd, 4096)
            if not chunk:
                break
            out += chunk
    finally:
        done.set()
        sender.join()
    err = proc.stderr.read().decode()
    proc.wait(timeout=300)
    check(proc.returncode in (0, 1), "exit %d" % proc.returncode, err)
    objs = parse_lines(out.decode())
    check(objs and objs[-1]["type"] == "summary", "no summary last", out[-500:])
    check(objs[-1]["connections"] == len(objs) - 1, "summary counts the connections shown",
          objs[-1])
    check("writing the output failed" not in err, "the output failed", err)
