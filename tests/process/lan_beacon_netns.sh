#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The beacon between two machines (issue 16): two network namespaces joined by a veth
# pair, the real confabd in one and the app's NearbyServers (lanprobe) in the other.
# Checks: with discovery off nothing is heard; with it on a query is answered at once,
# the list shows the server's id, name, port and fingerprint, and SIGTERM's bye drops it.
#
# usage: lan_beacon_netns.sh CONFABD LANPROBE     exit 0 pass, 1 fail, 77 skipped
set -u
confabd=$1
probe=$2
skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*"; [ -f "$work/confabd.log" ] && sed 's/^/  confabd: /' "$work/confabd.log"; exit 1; }

[ "$(id -u)" = 0 ] || skip "needs root to make network namespaces"
command -v ip >/dev/null || skip "no ip(8) (iproute2)"
command -v timeout >/dev/null || skip "no timeout(1)"

# Unique per run, so that runs side by side (ctest -j, two checkouts) do not collide.
# veth names must stay within 15 characters.
ns_a=confab-a-$$
ns_b=confab-b-$$
veth_a=cfa$$
veth_b=cfb$$
work=$(mktemp -d)
server_pid=
watch_pid=

cleanup() {
    [ -n "$server_pid" ] && kill -KILL "$server_pid" 2>/dev/null
    [ -n "$watch_pid" ] && kill -KILL "$watch_pid" 2>/dev/null
    # Deleting a namespace deletes the veth end inside it, and with it the pair.
    ip netns del "$ns_a" 2>/dev/null
    ip netns del "$ns_b" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

ip netns add "$ns_a" 2>"$work/err" || skip "ip netns unavailable here: $(cat "$work/err")"
ip netns add "$ns_b" || fail "second namespace"
ip link add "$veth_a" netns "$ns_a" type veth peer name "$veth_b" netns "$ns_b" \
    || fail "veth pair"
for side in "a $ns_a $veth_a 10.87.47.1" "b $ns_b $veth_b 10.87.47.2"; do
    set -- $side
    ip -n "$2" link set lo up &&
        ip -n "$2" addr add "$4/24" dev "$3" &&
        ip -n "$2" link set "$3" up &&
        ip -n "$2" route add 224.0.0.0/4 dev "$3" || fail "setting up namespace $1"
done

# Starts confabd in namespace A with the given --set flags; waits for its listening line.
start_server() {
    # --foreground: otherwise timeout passes our SIGTERM on twice (to confabd, then to its
    # process group), and a second SIGTERM is confabd's "stop now, unclean".
    timeout --foreground 30 ip netns exec "$ns_a" "$confabd" serve --data "$work/data" \
        --listen 10.87.47.1 --port 8747 "$@" >"$work/confabd.log" 2>&1 &
    server_pid=$!
    for _ in $(seq 100); do
        grep -q "confabd listening" "$work/confabd.log" && return 0
        kill -0 "$server_pid" 2>/dev/null || break
        sleep 0.1
    done
    fail "confabd did not start"
}
stop_server() {
    kill -TERM "$server_pid"
    wait "$server_pid"
    local code=$?
    server_pid=
    [ "$code" = 0 ] || fail "confabd exited with $code after SIGTERM"
}
in_b() { timeout 20 ip netns exec "$ns_b" "$probe" "$@"; }

# 1. discovery is off by default: nothing announced, no query answered. 2.5 s covers the
# start burst (0, 1, 2 s) that an announcing server would have sent.
start_server --set tls_self_signed=true
in_b silent 2500 || fail "a server with discovery off was heard"
stop_server

# What the server is, as its own admin command says.
name="Workshop 47"
flags=(--set tls_self_signed=true --set "server_name=$name")
ip netns exec "$ns_a" "$confabd" identity --data "$work/data" "${flags[@]}" >"$work/identity" \
    || fail "confabd identity"
id=$(awk '$1 == "id" { print $2 }' "$work/identity")
fp=$(awk '$1 == "fingerprint" { print $2 }' "$work/identity")
[ ${#id} = 36 ] && [ ${#fp} = 64 ] || fail "identity: $(cat "$work/identity")"

# 2. discovery on: a query is answered at once, by unicast, with what the server is.
start_server "${flags[@]}" --set discovery=true
answer=$(in_b query 1000) || fail "query not answered"
echo "$answer"
[ "$answer" = "${answer#answer $id 10.87.47.1 8747 $fp 0 }" ] && fail "wrong answer: $answer"

# 3. The app's list shows it, and drops it on the bye SIGTERM sends, long before it would
# forget a silent server (15 s).
in_b watch "$id" "$name" 8747 "$fp" 8000 3000 >"$work/watch" 2>&1 &
watch_pid=$!
for _ in $(seq 100); do
    grep -q "^seen" "$work/watch" && break
    kill -0 "$watch_pid" 2>/dev/null || break
    sleep 0.1
done
grep -q "^seen wss://10.87.47.1:8747 " "$work/watch" || fail "not listed: $(cat "$work/watch")"
stop_server
wait "$watch_pid" || fail "not dropped on bye: $(cat "$work/watch")"
cat "$work/watch"
echo "PASS"
