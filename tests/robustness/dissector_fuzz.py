#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Fuzzes the Wireshark plugin the way Wireshark's own fuzz test does: each
capture is mutated with `editcap -E` and read with `tshark -nr FILE -V -2`
with the plugin loaded.  Fails on a crash (exit by a signal), a tshark
error exit, or any AddressSanitizer/UndefinedBehaviorSanitizer report.
Mutated files that fail are kept under --keep for reproduction.

As root, tshark ignores WIRESHARK_PLUGIN_DIR, so it then runs as nobody
(setpriv) with a scratch HOME and a world-readable copy of the plugin.
"""
import argparse
import concurrent.futures
import glob
import os
import shutil
import subprocess
import sys
import tempfile

SANITIZER_MARKS = ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:",
                   "UndefinedBehaviorSanitizer")


def make_readable(root):
    for d, _, files in os.walk(root):
        os.chmod(d, 0o755)
        for f in files:
            os.chmod(os.path.join(d, f), 0o644)


def tshark_cmd(args, scratch, plugin_root):
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": scratch, "LC_ALL": "C",
           "WIRESHARK_PLUGIN_DIR": plugin_root}
    if args.preload:
        env["LD_PRELOAD"] = args.preload
        env["ASAN_OPTIONS"] = "detect_leaks=0:abort_on_error=1"
        env["UBSAN_OPTIONS"] = "halt_on_error=1:print_stacktrace=1"
    prefix = ["tshark"]
    if os.geteuid() == 0:
        prefix = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "env"] + \
                 ["%s=%s" % kv for kv in env.items()] + prefix
    return prefix, env


def read(path, prefix, env):
    r = subprocess.run(prefix + ["-nr", path, "-V", "-2"], env=env, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=300, universal_newlines=True,
                       errors="replace")
    return r


def verdict(r):
    """None when the run is clean, else what went wrong."""
    if r.returncode < 0:
        return "killed by signal %d" % -r.returncode
    for m in SANITIZER_MARKS:
        if m in r.stderr:
            return "sanitizer report (%s)" % m
    # tshark exits 2 on a capture it cannot read to the end (a mutated
    # record header): that is its own reader's verdict, not a crash.
    if r.returncode not in (0, 2):
        return "exit %d" % r.returncode
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--plugin-root", required=True)
    ap.add_argument("--abi", required=True)
    ap.add_argument("--captures", required=True)
    ap.add_argument("--count", type=int, default=3, help="mutations per capture")
    ap.add_argument("--prob", default="0.02", help="editcap -E byte error probability")
    ap.add_argument("--seed", type=int, default=1, help="first editcap --seed")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--preload", help="LD_PRELOAD for tshark (ASan runtime)")
    ap.add_argument("--keep", required=True, help="folder for failing mutated files")
    args = ap.parse_args()

    caps = sorted(glob.glob(os.path.join(args.captures, "**", "*.pcap"), recursive=True) +
                  glob.glob(os.path.join(args.captures, "**", "*.pcapng"), recursive=True))
    if not caps:
        print("no captures under %s" % args.captures)
        return 1
    scratch = tempfile.mkdtemp(prefix="eno-dissector-fuzz-")
    try:
        plugin_root = os.path.join(scratch, "plugins")
        rel = os.path.join(args.abi, "epan", "enoscope.so")
        os.makedirs(os.path.dirname(os.path.join(plugin_root, rel)))
        shutil.copyfile(os.path.join(args.plugin_root, rel), os.path.join(plugin_root, rel))
        make_readable(scratch)
        os.chmod(scratch, 0o777)
        prefix, env = tshark_cmd(args, scratch, plugin_root)

        # The plugin must be loaded, or the loop would test nothing of ours.
        first = os.path.join(scratch, "plain" + os.path.splitext(caps[0])[1])
        shutil.copyfile(caps[0], first)
        os.chmod(first, 0o644)
        r = read(first, prefix, env)
        if verdict(r) or "TCP-ENO" not in r.stdout:
            print("tshark did not dissect TCP-ENO with the plugin: %s\n%s" %
                  (verdict(r), r.stderr[-2000:]))
            return 1

        jobs = []
        for i, cap in enumerate(caps):
            for k in range(args.count):
                seed = args.seed + i * args.count + k
                out = os.path.join(scratch, "m%d-%d%s" % (i, k, os.path.splitext(cap)[1]))
                subprocess.run(["editcap", "-E", args.prob, "--seed", str(seed), cap, out],
                               check=True, stdout=subprocess.DEVNULL)
                os.chmod(out, 0o644)
                jobs.append((cap, seed, out))

        def one(job):
            cap, seed, out = job
            return job, verdict(read(out, prefix, env))

        failed = 0
        with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
            for (cap, seed, out), v in pool.map(one, jobs):
                if v:
                    failed += 1
                    os.makedirs(args.keep, exist_ok=True)
                    kept = os.path.join(args.keep, os.path.basename(cap) + ".seed%d" % seed)
                    shutil.copyfile(out, kept)
                    print("FAIL %s (editcap -E %s --seed %d): %s; kept as %s" %
                          (cap, args.prob, seed, v, kept))
        print("%d mutated captures read, %d failures" % (len(jobs), failed))
        return 1 if failed else 0
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
