#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Tests of what `cmake --install` and CPack put where.

usage: install_test.py CASE --build DIR --scratch DIR [options]
CASE: prefix, destdir_usr, destdir_other, pkg_config, bash_completion, deb
"""
import argparse
import os
import re
import shutil
import subprocess
import sys

ARGS = None


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def check(cond, msg):
    if not cond:
        fail(msg)


def run(cmd, env=None, **kw):
    p = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       universal_newlines=True, **kw)
    if p.returncode != 0:
        fail("%s exited with %d:\n%s" % (" ".join(cmd), p.returncode, p.stdout))
    return p.stdout


def scratch(name):
    d = os.path.join(ARGS.scratch, name)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    return d


def install(prefix, destdir=None, component=None):
    env = dict(os.environ)
    env.pop("DESTDIR", None)
    if destdir:
        env["DESTDIR"] = destdir
    cmd = ["cmake", "--install", ARGS.build, "--prefix", prefix]
    if component:
        cmd += ["--component", component]
    run(cmd, env=env)


def files_under(root):
    out = []
    for d, _, names in os.walk(root):
        out += [os.path.relpath(os.path.join(d, n), root) for n in names]
    return sorted(out)


def plugin_rel():
    return os.path.join("lib", "wireshark", "plugins", ARGS.abi, "epan", "enoscope.so")


def test_prefix():
    """--prefix P puts everything under P, the plugin in the layout of a
    personal plugin folder, nothing in Wireshark's own folder."""
    p = scratch("prefix")
    install(p)
    got = files_under(p)
    want = [os.path.join(ARGS.bindir, "enoscope"),
            os.path.join(ARGS.libdir, "libeno.a"),
            os.path.join(ARGS.libdir, "pkgconfig", "eno.pc"),
            os.path.join(ARGS.includedir, "eno", "eno.h"),
            os.path.join(ARGS.includedir, "eno", "rules.def"),
            os.path.join(ARGS.datadir, "bash-completion", "completions", "enoscope")]
    if ARGS.abi:
        want.append(plugin_rel())
    for f in want:
        check(f in got, "%s not installed under the prefix; installed: %s" % (f, got))
    if ARGS.abi:
        plugins = [f for f in got if f.endswith("enoscope.so")]
        check(plugins == [plugin_rel()], "plugin files: %s" % plugins)


def test_destdir_usr():
    """The distribution prefix /usr: the plugin goes to Wireshark's own
    folder, below DESTDIR."""
    if not ARGS.abi:
        print("SKIP: the plugin is not built")
        return
    d = scratch("destdir-usr")
    install("/usr", destdir=d, component="plugin")
    got = files_under(d)
    want = os.path.relpath(os.path.join(ARGS.system_dir, "enoscope.so"), "/")
    check(ARGS.system_dir.startswith("/usr/"), "system folder %s" % ARGS.system_dir)
    check(got == [want], "DESTDIR install for /usr: %s, expected %s" % (got, want))


def test_destdir_other():
    """Any other prefix with DESTDIR: under DESTDIR/prefix."""
    d = scratch("destdir-other")
    install("/opt/eno", destdir=d)
    got = files_under(d)
    check(all(f.startswith("opt/eno/") for f in got), "outside DESTDIR/opt/eno: %s" % got)
    check(os.path.join("opt/eno", ARGS.bindir, "enoscope") in got, "no enoscope: %s" % got)
    if ARGS.abi:
        check(os.path.join("opt/eno", plugin_rel()) in got, "no plugin: %s" % got)


def test_pkg_config():
    """A program built with the installed eno.pc links the engine."""
    p = scratch("pkg-config")
    install(p, component="dev")
    env = dict(os.environ, PKG_CONFIG_PATH=os.path.join(p, ARGS.libdir, "pkgconfig"))
    env.pop("PKG_CONFIG_LIBDIR", None)
    version = run(["pkg-config", "--modversion", "eno"], env=env).strip()
    check(version == ARGS.version, "eno.pc version %s, expected %s" % (version, ARGS.version))
    flags = run(["pkg-config", "--cflags", "--libs", "eno"], env=env).split()
    prog = os.path.join(p, "uses_eno.c")
    with open(prog, "w") as f:
        f.write('#include <stdio.h>\n#include <string.h>\n#include <eno/eno.h>\n'
                'int main(void)\n{\n'
                '    const eno_tep_info *t = eno_tep_lookup(0x21);\n'
                '    printf("%s %s\\n", eno_version(), t ? t->name : "none");\n'
                '    return 0;\n}\n')
    exe = os.path.join(p, "uses_eno")
    run([ARGS.cc, "-std=c11", "-Wall", "-Wextra", "-Werror"] + ARGS.cflags.split() +
        [prog, "-o", exe] + flags)
    out = run([exe]).strip()
    check(out == "%s TCPCRYPT_ECDHE_P256" % ARGS.version, "program output: %r" % out)


def complete(words, script):
    """The candidates the installed completion offers for the last word."""
    line = " ".join(words)
    shell = ('source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); '
             'COMP_LINE="%s"; _enoscope; printf "%%s\\n" "${COMPREPLY[@]}"' % line)
    p = subprocess.run(["bash", "--norc", "-c", shell, "bash", script] + words,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       universal_newlines=True, cwd=ARGS.scratch)
    check(p.returncode == 0 and not p.stderr, "completion failed: %s" % p.stderr)
    return sorted(x for x in p.stdout.split("\n") if x)


def test_bash_completion():
    p = scratch("completion")
    install(p, component="enoscope")
    script = os.path.join(p, ARGS.datadir, "bash-completion", "completions", "enoscope")
    check(os.path.isfile(script), "completion not installed at %s" % script)
    check(complete(["enoscope", ""], script) ==
          sorted(["check", "rules", "merge", "compare", "help", "--help", "--version"]), "commands")
    check(complete(["enoscope", "check", "--connections", ""], script) ==
          ["all", "eno", "findings"], "--connections values")
    check(complete(["enoscope", "check", "--format", "j"], script) == ["json", "junit"],
          "check --format")
    check(complete(["enoscope", "compare", "--max-s"], script) == ["--max-segments"],
          "compare options")
    check(complete(["enoscope", "check", "--f"], script) ==
          ["--fail-on", "--filter", "--format"], "check options")
    check(complete(["enoscope", "check", "--fail-on", ""], script) ==
          ["error", "none", "note", "warning"], "--fail-on values")
    check(complete(["enoscope", "rules", "--format", "j"], script) == ["json"], "--format")
    check(complete(["enoscope", "rules", "--l"], script) == ["--long"], "rules options")
    check(complete(["enoscope", "check", "-f", ""], script) == [], "a BPF filter is free text")
    # Captures and folders are offered for check, other files are not.
    os.makedirs(os.path.join(ARGS.scratch, "caps", "sub"), exist_ok=True)
    for n in ("a.pcap", "b.pcapng", "notes.txt"):
        open(os.path.join(ARGS.scratch, "caps", n), "w").close()
    check(complete(["enoscope", "check", "caps/"], script) ==
          ["caps/a.pcap", "caps/b.pcapng", "caps/sub"],
          "file candidates: %s" % complete(["enoscope", "check", "caps/"], script))
    check(complete(["enoscope", "rules", "caps/"], script) == [], "rules takes no files")
    check(complete(["enoscope", "compare", "caps/a"], script) == ["caps/a.pcap"],
          "compare takes captures")


def test_deb():
    """CPack's .debs: the plugin's package depends on the libwireshark
    package of the Wireshark it was built for, within that X.Y."""
    if not ARGS.abi:
        print("SKIP: the plugin is not built")
        return
    d = scratch("deb")
    run(["cpack", "-G", "DEB", "--config", os.path.join(ARGS.build, "CPackConfig.cmake"),
         "-B", d])
    debs = sorted(f for f in os.listdir(d) if f.endswith(".deb"))
    check(len(debs) == 3, "packages: %s" % debs)
    plugin = [f for f in debs if f.startswith("wireshark-plugin-enoscope_")]
    check(len(plugin) == 1, "no plugin package: %s" % debs)
    deb = os.path.join(d, plugin[0])
    depends = run(["dpkg-deb", "-f", deb, "Depends"]).strip()
    print("Depends: " + depends)
    # The libwireshark package installed here, which tshark uses.
    owners = run(["dpkg-query", "-W", "-f", "${Package} ${Status}\\n", "libwireshark[0-9]*"])
    libws = [ln.split()[0] for ln in owners.splitlines() if ln.endswith("installed")
             and not ln.split()[0].endswith("-dev")]
    check(len(libws) == 1, "installed libwireshark packages: %s" % libws)
    major, minor = ARGS.abi.split(".")
    for dep in ("%s (>= %s)" % (libws[0], ARGS.abi),
                "%s (<< %s.%d~)" % (libws[0], major, int(minor) + 1)):
        check(dep in [x.strip() for x in depends.split(",")],
              "Depends lacks %s: %s" % (dep, depends))
    # The command loads wiretap only when a capture needs it: its package
    # names wiretap's, which dpkg-shlibdeps does not see.
    command = [f for f in debs if f.startswith("enoscope_")]
    check(len(command) == 1, "no enoscope package: %s" % debs)
    cdeps = run(["dpkg-deb", "-f", os.path.join(d, command[0]), "Depends"]).strip()
    print("enoscope Depends: " + cdeps)
    check(any(re.match(r"libwiretap\d+$", x.strip()) for x in cdeps.split(",")),
          "the enoscope package does not depend on libwiretap: %s" % cdeps)
    contents = run(["dpkg-deb", "-c", deb])
    path = os.path.join(ARGS.system_dir, "enoscope.so")
    check(re.search(r" \.%s$" % re.escape(path), contents, re.M) is not None,
          "the package does not hold %s:\n%s" % (path, contents))


def main():
    global ARGS
    ap = argparse.ArgumentParser()
    ap.add_argument("case")
    ap.add_argument("--build", required=True)
    ap.add_argument("--scratch", required=True)
    ap.add_argument("--abi", default="", help="Wireshark X.Y, empty without the plugin")
    ap.add_argument("--system-dir", default="", help="Wireshark's own epan plugin folder")
    ap.add_argument("--bindir", required=True)
    ap.add_argument("--libdir", required=True)
    ap.add_argument("--includedir", required=True)
    ap.add_argument("--datadir", required=True)
    ap.add_argument("--version", required=True)
    ap.add_argument("--cc", default="cc")
    ap.add_argument("--cflags", default="")
    ARGS = ap.parse_args()
    os.makedirs(ARGS.scratch, exist_ok=True)
    globals()["test_" + ARGS.case]()
    print("PASS")


if __name__ == "__main__":
    main()
