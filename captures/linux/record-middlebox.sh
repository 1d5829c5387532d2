#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Records real Linux TCP traffic through a middlebox, at two points, for
# `enoscope compare`: three network namespaces made here and removed on
# exit, joined by veth pairs,
#
#   client 10.77.1.2 --veth-- 10.77.1.1 box 10.77.2.1 --veth-- 10.77.2.2 server
#
# The box forwards with nftables rules that clamp the MSS of SYN segments
# to 1200, remove SACK-permitted (`reset tcp option sack-perm`) both ways
# and NAT the client (masquerade, source ports moved to 40000-40999).
# tcpdump captures in the client's namespace (point 1) and in the
# server's (point 2).  Traffic: three connections, each sending a line
# and reading the server's echo, then a SYN to a closed port (answered by
# RST).  The kernel sends no ENO: the captures test the other changes and
# NAT.  No packet leaves the namespaces.
#
# Needs root, iproute2, nftables, tcpdump and python3.
# Usage: record-middlebox.sh [OUTPUT-DIR]   (default: beside this script)
# Writes middlebox-client.pcap and middlebox-server.pcap; after
# re-recording, re-derive their .expect files from `enoscope check`.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here}
ns=enomb$$
cli=$ns-cli box=$ns-box srv=$ns-srv
tmp=$(mktemp -d)
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
    for n in "$cli" "$box" "$srv"; do ip netns del "$n" 2>/dev/null || true; done
    rm -rf "$tmp"
}
trap cleanup EXIT

for n in "$cli" "$box" "$srv"; do
    ip netns add "$n"
    ip -n "$n" link set lo up
done
ip link add c0 netns "$cli" type veth peer name b0 netns "$box"
ip link add b1 netns "$box" type veth peer name s0 netns "$srv"
ip -n "$cli" addr add 10.77.1.2/24 dev c0
ip -n "$box" addr add 10.77.1.1/24 dev b0
ip -n "$box" addr add 10.77.2.1/24 dev b1
ip -n "$srv" addr add 10.77.2.2/24 dev s0
for pair in "$cli c0" "$box b0" "$box b1" "$srv s0"; do
    set -- $pair
    ip -n "$1" link set "$2" up
done
ip -n "$cli" route add default via 10.77.1.1
# The server has no route back to 10.77.1.0/24: only the NAT makes the
# connections work, so an unmasqueraded packet could not pass unnoticed.
ip netns exec "$box" sysctl -qw net.ipv4.ip_forward=1

ip netns exec "$box" nft -f - <<'NFT'
table inet middlebox {
    chain forward {
        type filter hook forward priority mangle; policy accept;
        tcp flags syn tcp option maxseg size > 1200 tcp option maxseg size set 1200
        tcp flags syn reset tcp option sack-perm
    }
}
table ip nat {
    chain postrouting {
        type nat hook postrouting priority srcnat; policy accept;
        oifname "b1" ip protocol tcp masquerade to :40000-40999 random
    }
}
NFT

ip netns exec "$srv" python3 - >"$tmp/server.log" 2>&1 <<'PY' &
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("10.77.2.2", 8080))
s.listen(8)
while True:
    c, _ = s.accept()
    data = c.recv(4096)
    c.sendall(data.upper())
    c.close()
PY
pids+=($!)

capture() { # NAMESPACE INTERFACE NAME
    ip netns exec "$1" tcpdump -q -n -U --immediate-mode -s 0 -i "$2" -w "$tmp/$3.pcap" tcp \
        2>"$tmp/tcpdump-$3.log" &
    pids+=($!)
}
capture "$cli" c0 client
capture "$srv" s0 server
# tcpdump says "listening on" once it captures.
for _ in $(seq 100); do
    grep -q listening "$tmp/tcpdump-client.log" && grep -q listening "$tmp/tcpdump-server.log" &&
        break
    sleep 0.1
done
sleep 0.5

ip netns exec "$cli" python3 - <<'PY'
import socket, sys, time
for i in range(3):
    with socket.create_connection(("10.77.2.2", 8080), timeout=5) as c:
        c.sendall(b"hello through the middlebox, connection %d\n" % (i + 1))
        print(c.recv(4096).decode().strip())
    time.sleep(0.2)
try:
    socket.create_connection(("10.77.2.2", 8081), timeout=5)
    sys.exit("port 8081 unexpectedly accepted")
except ConnectionRefusedError:
    print("refused, as intended")
PY

# tcpdump hands every packet over at once (--immediate-mode) and writes
# it out (-U); SIGINT then ends it cleanly.
sleep 1
for p in "${pids[@]:1}"; do
    kill -INT "$p" 2>/dev/null || true
    wait "$p" 2>/dev/null || true
done
cp "$tmp/client.pcap" "$out/middlebox-client.pcap"
cp "$tmp/server.pcap" "$out/middlebox-server.pcap"
echo "wrote $out/middlebox-client.pcap and $out/middlebox-server.pcap"
