#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Records real Linux TCP traffic (no ENO) on the loopback interface with
# dumpcap, for tests that must see segments no generator of ours produced:
#   1. IPv4 connection with data both ways and an orderly close,
#   2. IPv4 connection refused (nothing listens: the kernel answers RST,ACK),
#   3. IPv6 connection with data.
# The connections run one after the other.  Needs root (or capture rights on
# lo), dumpcap and python3.  Usage: record.sh [OUTPUT.pcapng]
# After re-recording, re-derive linux-loopback.expect from the new file.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/linux-loopback.pcapng}
port_data=47001 port_refused=47002 port_v6=47003
tmp=$(mktemp -d)
cap_pid="" srv_pid=""
cleanup() {
    [ -n "$srv_pid" ] && kill "$srv_pid" 2>/dev/null || true
    [ -n "$cap_pid" ] && kill "$cap_pid" 2>/dev/null || true
    rm -rf "$tmp"
}
trap cleanup EXIT

# Servers: echo one message back in upper case, then close.
python3 - "$port_data" "$port_v6" >"$tmp/server.log" 2>&1 <<'PY' &
import socket, sys, threading
def serve(family, addr, port):
    s = socket.socket(family, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, port)); s.listen(4)
    while True:
        c, _ = s.accept()
        data = c.recv(4096)
        c.sendall(data.upper())
        c.close()
threading.Thread(target=serve, args=(socket.AF_INET, "127.0.0.1", int(sys.argv[1])), daemon=True).start()
serve(socket.AF_INET6, "::1", int(sys.argv[2]))
PY
srv_pid=$!

dumpcap -q -i lo -f "tcp port $port_data or tcp port $port_refused or tcp port $port_v6" \
    -w "$tmp/lo.pcapng" 2>"$tmp/dumpcap.log" &
cap_pid=$!
# Wait until dumpcap captures (it creates the file when it starts).
for _ in $(seq 50); do [ -s "$tmp/lo.pcapng" ] && break; sleep 0.1; done
sleep 0.5

python3 - "$port_data" "$port_refused" "$port_v6" <<'PY'
import socket, sys, time
def talk(family, addr, port, msg):
    with socket.create_connection((addr, port), timeout=5) as c:
        c.sendall(msg)
        print(c.recv(4096).decode())
talk(socket.AF_INET, "127.0.0.1", int(sys.argv[1]), b"hello over plain tcp, ipv4\n")
time.sleep(0.3)
try:
    socket.create_connection(("127.0.0.1", int(sys.argv[2])), timeout=5)
    sys.exit("port %s unexpectedly accepted" % sys.argv[2])
except ConnectionRefusedError:
    print("refused, as intended")
time.sleep(0.3)
talk(socket.AF_INET6, "::1", int(sys.argv[3]), b"hello over plain tcp, ipv6\n")
PY

sleep 0.5
kill "$cap_pid"
wait "$cap_pid" 2>/dev/null || true
cap_pid=""
cp "$tmp/lo.pcapng" "$out"
echo "wrote $out"
