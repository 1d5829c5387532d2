#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Decodes every generated capture with tshark (an independent decoder):
IPv4 header and TCP checksums must verify and no packet may be malformed,
except that frames cut by the snapshot length cannot be verified.
usage: check_tshark.py TSHARK CAPTURES_DIR"""
import os
import subprocess
import sys

BAD = ("(tcp.checksum.status != 1 || (ip && ip.checksum.status != 1) || _ws.malformed)"
       " && frame.cap_len == frame.len")


def main():
    tshark, captures = sys.argv[1:3]
    problems = checked = 0
    for root, _, files in os.walk(captures):
        for f in sorted(files):
            if not f.endswith((".pcap", ".pcapng")):
                continue
            stem = os.path.join(root, f.rsplit(".", 1)[0])
            if not os.path.exists(stem + ".scn"):
                continue  # recorded, not generated
            path = os.path.join(root, f)
            r = subprocess.run([tshark, "-n", "-o", "tcp.check_checksum:TRUE",
                                "-o", "ip.check_checksum:TRUE", "-r", path, "-Y", BAD],
                               capture_output=True, text=True)
            checked += 1
            if r.returncode != 0 or r.stdout.strip():
                problems += 1
                print(f"{path}:\n{r.stdout}{r.stderr}")
    print(f"{checked} generated captures decoded, {problems} with problems")
    return 1 if problems or checked == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
