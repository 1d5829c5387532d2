# SPDX-License-Identifier: GPL-2.0-or-later
"""Command-line tests of enoscope, one ctest per case (see cases_*.py).

usage: cli_test.py --list
       cli_test.py ENOSCOPE CASE SCRATCH-DIR RULES-DEF PROJECT-VERSION
"""
import os
import shutil
import sys

sys.dont_write_bytecode = True  # keep the source tree clean
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import cases_decode  # noqa: E402,F401
import cases_formats  # noqa: E402,F401
import cases_input  # noqa: E402,F401
import cases_jobs  # noqa: E402,F401
import cases_links  # noqa: E402,F401
import cases_output  # noqa: E402,F401
import cases_report  # noqa: E402,F401
import cases_stop  # noqa: E402,F401
import cases_track  # noqa: E402,F401
from harness import CASES, Ctx, Failure  # noqa: E402


def main():
    if sys.argv[1:] == ["--list"]:
        print("\n".join(CASES))
        return 0
    if len(sys.argv) != 6 or sys.argv[2] not in CASES:
        print(__doc__, file=sys.stderr)
        return 2
    enoscope, name, scratch, rules_def, version = sys.argv[1:]
    shutil.rmtree(scratch, ignore_errors=True)
    os.makedirs(scratch)
    try:
        CASES[name](Ctx(enoscope, scratch, rules_def, version))
    except Failure as e:
        print("FAIL %s: %s" % (name, e))
        return 1
    print("ok " + name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
