# SPDX-License-Identifier: GPL-2.0-or-later
"""Shared pieces of the enoscope command-line tests: the case registry, the
runner context and capture helpers."""
import json
import os
import subprocess

from pcapwrite import DLT_EN10MB, Conn, eno_success, write_pcap, write_pcapng


CASES = {}


def case(fn):
    CASES[fn.__name__] = fn
    return fn


class Failure(Exception):
    pass


def check(cond, msg, *context):
    if not cond:
        raise Failure(msg + "".join("\n--- " + str(c) for c in context))


class Ctx:
    def __init__(self, enoscope, scratch, rules_def, version):
        self.enoscope, self.dir = enoscope, scratch
        self.rules_def, self.version = rules_def, version

    def path(self, name):
        return os.path.join(self.dir, name)

    def run(self, *args, stdin=None, env=None, stdin_bytes=None):
        e = dict(os.environ)
        e.pop("NO_COLOR", None)
        e.update(env or {})
        r = subprocess.run([self.enoscope] + list(args), input=stdin_bytes, stdin=stdin,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=e)
        r.out = r.stdout.decode("utf-8", "replace")
        r.err = r.stderr.decode("utf-8", "replace")
        return r

    def json(self, *args, **kw):
        """Runs check --format json; returns (run, connections, summary)."""
        r = self.run("check", "--format", "json", *args, **kw)
        conns, summary = [], None
        for line in r.out.splitlines():
            obj = json.loads(line)
            check(summary is None, "an object follows the summary", r.out)
            if obj["type"] == "summary":
                summary = obj
            else:
                check(obj["type"] == "connection", "unknown object type", line)
                conns.append(obj)
        return r, conns, summary

    def capture(self, name, frames, linktype=DLT_EN10MB, ng=False):
        p = self.path(name)
        (write_pcapng if ng else write_pcap)(p, frames, linktype)
        return p


def findings(conn):
    return sorted((f["rule"], f["frames"][0]) for f in conn["findings"])


def two_connections():
    """Frames 1-5: an ENO success on port 80; frames 6-10: one on port 443."""
    a = eno_success(Conn("192.0.2.1", "192.0.2.2", 40000, 80))
    b = eno_success(Conn("192.0.2.3", "192.0.2.4", 40001, 443, ts=2.0))
    return a.frames + b.frames
