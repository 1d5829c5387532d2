# SPDX-License-Identifier: GPL-2.0-or-later
"""enoscope check -i: live capture on the loopback interface of a network
namespace made for the test, with traffic only inside it.  Needs root (or
the capability to make namespaces); exits 77, which ctest reports as
skipped, when it cannot make one.

usage: live_test.py ENOSCOPE
"""
import json
import os
import shutil
import select
import signal
import subprocess
import sys
import time

SKIP = 77

PEER = r"""
import socket, sys, time
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(1)
c = socket.create_connection(s.getsockname())
a, _ = s.accept()
print(c.getsockname()[1], s.getsockname()[1], flush=True)
time.sleep(float(sys.argv[1]))   # the connection stays open, quiet
"""


def fail(msg, *context):
    print("FAIL: " + msg + "".join("\n--- " + str(c) for c in context))
    sys.exit(1)


def in_ns(ns, *cmd, **kw):
    return subprocess.Popen(["ip", "netns", "exec", ns] + list(cmd), **kw)


def wait_listening(proc, timeout=60):
    """Reads enoscope's stderr until it says it listens."""
    err = b""
    end = time.monotonic() + timeout
    while b"listening on" not in err and time.monotonic() < end:
        r, _, _ = select.select([proc.stderr], [], [], 0.5)
        if r:
            chunk = os.read(proc.stderr.fileno(), 4096)
            if not chunk:
                break
            err += chunk
    if b"listening on" not in err:
        fail("enoscope did not start capturing", err)
    return err


def main():
    enoscope = sys.argv[1]
    if os.geteuid() != 0:
        print("SKIP: live capture in a network namespace needs root")
        return SKIP
    if shutil.which("ip") is None:
        print("SKIP: iproute2's ip command is not installed")
        return SKIP
    ns = "enoscope-test-%d" % os.getpid()
    if subprocess.run(["ip", "netns", "add", ns], stderr=subprocess.PIPE).returncode != 0:
        print("SKIP: cannot make a network namespace (ip netns add)")
        return SKIP
    try:
        subprocess.run(["ip", "-n", ns, "link", "set", "lo", "up"], check=True)
        settled_at_once(enoscope, ns)
        count_stops(enoscope, ns)
        no_permission(enoscope, ns)
    finally:
        subprocess.run(["ip", "netns", "del", ns])
    print("ok live capture")
    return 0


def settled_at_once(enoscope, ns):
    """A handshake on a quiet link is reported while the connection is
    still open; SIGINT then ends the run with the totals."""
    eno = in_ns(ns, enoscope, "check", "--format", "json", "-i", "lo", "-f", "tcp",
                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    wait_listening(eno)
    peer = in_ns(ns, sys.executable, "-c", PEER, "20", stdout=subprocess.PIPE)
    ports = peer.stdout.readline().split()
    t0 = time.monotonic()
    r, _, _ = select.select([eno.stdout], [], [], 15)
    if not r:
        fail("no verdict while the connection is open and quiet")
    line = eno.stdout.readline()
    waited = time.monotonic() - t0
    if peer.poll() is not None:
        fail("the peer ended before the verdict")
    conn = json.loads(line)
    if conn["client"] != "127.0.0.1:%d" % int(ports[0]) or conn["status"] != "no-eno":
        fail("verdict", line)
    eno.send_signal(signal.SIGINT)
    out, err = eno.communicate(timeout=60)
    peer.kill()
    peer.wait()
    objs = [json.loads(x) for x in out.decode().splitlines()]
    if eno.returncode != 0 or not objs or objs[-1]["type"] != "summary":
        fail("exit %d, summary" % eno.returncode, out, err)
    if objs[-1]["connections"] != 1 + len(objs) - 1 or objs[-1]["packets"] < 3:
        fail("summary counts", objs[-1])
    print("verdict %.1f s after the handshake; %d packets" % (waited, objs[-1]["packets"]))


def count_stops(enoscope, ns):
    """-c N ends the capture by itself after N packets."""
    eno = in_ns(ns, enoscope, "check", "--format", "json", "-i", "lo", "-c", "3", "-f",
                "tcp", stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    wait_listening(eno)
    peer = in_ns(ns, sys.executable, "-c", PEER, "1", stdout=subprocess.PIPE)
    try:
        out, err = eno.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        eno.kill()
        fail("-c 3 did not stop the capture")
    peer.wait()
    summary = json.loads(out.decode().splitlines()[-1])
    if eno.returncode != 0 or summary["packets"] != 3 or summary["connections"] != 1:
        fail("-c 3", out, err)


def no_permission(enoscope, ns):
    """Without the privilege, a clear message and status 2."""
    r = subprocess.run(["ip", "netns", "exec", ns, "setpriv", "--reuid=nobody",
                        "--regid=nogroup", "--clear-groups", "--inh-caps=-all",
                        enoscope, "check", "-i", "lo"],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
    err = r.stderr.decode()
    if r.returncode != 2 or "no permission" not in err or "lo" not in err:
        fail("without privilege: exit %d" % r.returncode, err)


if __name__ == "__main__":
    sys.exit(main())
