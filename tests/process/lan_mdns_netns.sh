#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# mDNS/DNS-SD between two machines (issue 16, protocol §19.5): two network namespaces joined
# by a veth pair, each with its own avahi-daemon on its own private D-Bus; the real confabd
# in one, the app's NearbyServers with mDNS alone (lanprobe) in the other.
# Checks: confabd started before its avahi-daemon says so once and still answers on the
# beacon; it publishes when the daemon starts, with the right id, name, port and
# fingerprint; it is gone from the list when confabd stops, and when its daemon stops; it
# is published again when the daemon comes back; a second server of the same name on the
# other machine takes another instance name, and both are listed; with discovery off
# nothing is published.
#
# usage: lan_mdns_netns.sh CONFABD LANPROBE     exit 0 pass, 1 fail, 77 skipped
set -u
confabd=$1
probe=$2
skip() { echo "SKIP: $*"; exit 77; }
fail() {
    echo "FAIL: $*"
    for log in "$work"/*.log; do [ -f "$log" ] && sed "s|^|  $(basename "$log"): |" "$log"; done
    exit 1
}

[ "$(id -u)" = 0 ] || skip "needs root to make network namespaces"
command -v ip >/dev/null || skip "no ip(8) (iproute2)"
command -v timeout >/dev/null || skip "no timeout(1)"
avahi=$(command -v avahi-daemon || echo /usr/sbin/avahi-daemon)
[ -x "$avahi" ] || skip "no avahi-daemon (tools/install-deps installs it)"
command -v dbus-daemon >/dev/null || skip "no dbus-daemon"

# Unique per run, so that runs side by side (ctest -j, two checkouts) do not collide.
# veth names must stay within 15 characters.
ns_a=confab-ma-$$
ns_b=confab-mb-$$
veth_a=cma$$
veth_b=cmb$$
work=$(mktemp -d)
server_pid=
other_pid=
watch_pid=
declare -A bus_pid avahi_pid

cleanup() {
    # confabd is timeout's child: killed first, as timeout cannot pass SIGKILL on.
    for pid in $server_pid $other_pid; do kill -KILL $(pgrep -P "$pid") "$pid" 2>/dev/null; done
    [ -n "$watch_pid" ] && kill -KILL "$watch_pid" 2>/dev/null
    for pid in "${avahi_pid[@]}" "${bus_pid[@]}"; do kill -KILL "$pid" 2>/dev/null; done
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
for side in "a $ns_a $veth_a 10.87.48.1" "b $ns_b $veth_b 10.87.48.2"; do
    set -- $side
    ip -n "$2" link set lo up &&
        ip -n "$2" addr add "$4/24" dev "$3" &&
        ip -n "$2" link set "$3" up &&
        ip -n "$2" route add 224.0.0.0/4 dev "$3" || fail "setting up namespace $1"
done

ns_of() { [ "$1" = a ] && echo "$ns_a" || echo "$ns_b"; }
bus_of() { echo "unix:path=$work/bus-$1"; }
# Runs a command in side $1's namespace, talking to side $1's D-Bus (and so its avahi-daemon).
in_ns() {
    local side=$1
    shift
    ip netns exec "$(ns_of "$side")" env DBUS_SYSTEM_BUS_ADDRESS="$(bus_of "$side")" "$@"
}
# Waits up to $2 tenths of a second for file $1 to contain $3.
wait_for() {
    for _ in $(seq "$2"); do
        grep -q "$3" "$1" 2>/dev/null && return 0
        sleep 0.1
    done
    return 1
}

# A private system bus per side, on which avahi-daemon may own org.freedesktop.Avahi.
start_bus() {
    cat >"$work/dbus-$1.conf" <<CONF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <listen>$(bus_of "$1")</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="*"/>
    <allow own="*"/>
    <allow send_type="method_call"/>
    <allow send_type="signal"/>
    <allow send_type="method_return"/>
    <allow send_type="error"/>
    <allow receive_type="method_call"/>
    <allow receive_type="signal"/>
    <allow receive_type="method_return"/>
    <allow receive_type="error"/>
  </policy>
</busconfig>
CONF
    dbus-daemon --config-file="$work/dbus-$1.conf" --nofork --nopidfile >"$work/dbus-$1.log" 2>&1 &
    bus_pid[$1]=$!
    for _ in $(seq 50); do
        [ -S "$work/bus-$1" ] && return 0
        sleep 0.1
    done
    fail "dbus-daemon for side $1 did not start"
}

# avahi-daemon for side $1, only on its veth, IPv4, with a host name of its own (both sides
# share this machine's). Its pid file and socket go to a /run of its own: ip netns exec runs
# it in a mount namespace of its own, so the tmpfs hides nothing outside.
start_avahi() {
    local veth
    veth=$([ "$1" = a ] && echo "$veth_a" || echo "$veth_b")
    cat >"$work/avahi-$1.conf" <<CONF
[server]
host-name=confab-test-$1-$$
domain-name=local
use-ipv4=yes
use-ipv6=no
allow-interfaces=$veth
enable-dbus=yes
ratelimit-interval-usec=0
[wide-area]
enable-wide-area=no
[publish]
publish-hinfo=no
publish-workstation=no
CONF
    : >"$work/avahi-$1.log"
    # Not through in_ns: a function run in the background is a subshell, and $! would be
    # its pid rather than the daemon's.
    ip netns exec "$(ns_of "$1")" env DBUS_SYSTEM_BUS_ADDRESS="$(bus_of "$1")" \
        sh -c 'mount -t tmpfs tmpfs /run && mkdir -p /run/avahi-daemon &&
        exec "$0" -f "$1" --no-drop-root --no-chroot --no-rlimits --no-proc-title' \
        "$avahi" "$work/avahi-$1.conf" >>"$work/avahi-$1.log" 2>&1 &
    avahi_pid[$1]=$!
    wait_for "$work/avahi-$1.log" 100 "Server startup complete" \
        || fail "avahi-daemon for side $1 did not start"
}
stop_avahi() {
    kill -TERM "${avahi_pid[$1]}"
    wait "${avahi_pid[$1]}"
    avahi_pid[$1]=
}

# Starts confabd in namespace A with the given --set flags; waits for its listening line.
start_server() {
    # --foreground: otherwise timeout passes our SIGTERM on twice (to confabd, then to its
    # process group), and a second SIGTERM is confabd's "stop now, unclean".
    timeout --foreground 60 ip netns exec "$ns_a" env DBUS_SYSTEM_BUS_ADDRESS="$(bus_of a)" \
        "$confabd" serve --data "$work/data" --listen 10.87.48.1 --port 8747 "$@" \
        >"$work/confabd.log" 2>&1 &
    server_pid=$!
    wait_for "$work/confabd.log" 100 "confabd listening" || fail "confabd did not start"
}
stop_server() {
    kill -TERM "$server_pid"
    wait "$server_pid"
    local code=$?
    server_pid=
    [ "$code" = 0 ] || fail "confabd exited with $code after SIGTERM"
}
probe_b() { in_ns b timeout 30 "$probe" "$@"; }
# lanprobe mdns-watch in B, in the background; returns once it lists the server (A's
# unless $2 $3 $4 name another id, fingerprint and address).
watch_b() {
    local want_id=${2:-$id} want_fp=${3:-$fp} want_host=${4:-10.87.48.1}
    ip netns exec "$ns_b" env DBUS_SYSTEM_BUS_ADDRESS="$(bus_of b)" timeout 30 \
        "$probe" mdns-watch "$want_id" "$name" 8747 "$want_fp" 15000 "$1" >"$work/watch" 2>&1 &
    watch_pid=$!
    for _ in $(seq 160); do
        grep -q "^seen" "$work/watch" && break
        kill -0 "$watch_pid" 2>/dev/null || break
        sleep 0.1
    done
    grep -q "^seen wss://$want_host:8747 " "$work/watch" || fail "not listed: $(cat "$work/watch")"
}
watch_ends() {
    wait "$watch_pid" || fail "$1: $(cat "$work/watch")"
    watch_pid=
    cat "$work/watch"
}

start_bus a
start_bus b
start_avahi b

# What the server is, as its own admin command says.
name="Workshop 48"
flags=(--set tls_self_signed=true --set "server_name=$name")
ip netns exec "$ns_a" "$confabd" identity --data "$work/data" "${flags[@]}" >"$work/identity" \
    || fail "confabd identity"
id=$(awk '$1 == "id" { print $2 }' "$work/identity")
fp=$(awk '$1 == "fingerprint" { print $2 }' "$work/identity")
[ ${#id} = 36 ] && [ ${#fp} = 64 ] || fail "identity: $(cat "$work/identity")"

# 1. No avahi-daemon on A's bus yet: one line says so, and the beacon announces all the same.
start_server "${flags[@]}" --set discovery=true
wait_for "$work/confabd.log" 50 "avahi-daemon is not running" || fail "no word of the absent daemon"
probe_b query 2000 >/dev/null || fail "the beacon did not answer while avahi-daemon was absent"

# 2. The daemon starts: confabd publishes, and B lists it by mDNS alone with what the
# server is; it goes at once when confabd stops (the daemon's goodbye), not by a timeout.
start_avahi a
watch_b 5000
[ "$(grep -c "avahi-daemon is not running" "$work/confabd.log")" = 1 ] \
    || fail "the absent daemon was reported more than once"
grep -q "mDNS: published" "$work/confabd.log" || fail "confabd did not log its publication"
stop_server
watch_ends "not dropped when confabd stopped"

# 3. The daemon restarts under a running confabd: the service goes with it and comes back.
start_server "${flags[@]}" --set discovery=true
watch_b 8000
stop_avahi a
watch_ends "not dropped when avahi-daemon stopped"
start_avahi a
watch_b 5000
stop_server
watch_ends "not dropped when confabd stopped after the daemon's restart"

# 4. A second server of the same name, on B: whichever publishes second takes another
# instance name (the TXT record keeps the server's name), and both are listed by their ids.
start_server "${flags[@]}" --set discovery=true
wait_for "$work/confabd.log" 100 "mDNS: published" || fail "A did not publish"
ip netns exec "$ns_b" "$confabd" identity --data "$work/data-b" "${flags[@]}" >"$work/identity-b" \
    || fail "confabd identity (B)"
id_b=$(awk '$1 == "id" { print $2 }' "$work/identity-b")
fp_b=$(awk '$1 == "fingerprint" { print $2 }' "$work/identity-b")
timeout --foreground 60 ip netns exec "$ns_b" env DBUS_SYSTEM_BUS_ADDRESS="$(bus_of b)" \
    "$confabd" serve --data "$work/data-b" --listen 10.87.48.2 --port 8747 "${flags[@]}" \
    --set discovery=true >"$work/confabd-b.log" 2>&1 &
other_pid=$!
wait_for "$work/confabd-b.log" 100 "mDNS: published" || fail "B did not publish"
cat "$work/confabd.log" "$work/confabd-b.log" | grep -q "mDNS: the name \"$name\" is taken" \
    || fail "no collision seen between two services named $name"
watch_b 5000 "$id_b" "$fp_b" 10.87.48.2
kill -TERM "$other_pid"
wait "$other_pid" || fail "confabd (B) exited with $? after SIGTERM"
other_pid=
watch_ends "B not dropped when it stopped"
watch_b 5000
stop_server
watch_ends "A not dropped when it stopped"

# 5. Discovery off: nothing published.
start_server "${flags[@]}"
probe_b mdns-silent 4000 || fail "a server with discovery off was listed by mDNS"
stop_server
echo "PASS"
