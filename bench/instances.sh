#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Issue 18: 1, 2, 4 … confabd instances on one PostgreSQL. For each instance count, a fresh
# database (the seeded accounts copied in by `confabd migrate`), N real confabd on their own
# data folders and ports, then confab_loadgen with --ports spreading its clients over them:
# a fan-out at a fixed rate (deliveries/s, p50/p99, lost) and durable ingest (acks/s).
# One table row per instance count; the loadgen's JSON rows go to --out.
# The PostgreSQL cluster is a throw-away one, as the tests make it (tests/support/
# postgrescluster.cpp): initdb as an unprivileged user, Unix socket only, fsync and
# synchronous_commit left on, so every ack is a flushed commit.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$ROOT/build/ci
INSTANCES=1,2,4
CLIENTS=1000       # fan-out recipients, spread over the instances
SENDERS=10
RATE=100           # fan-out messages/s, all senders together
DURATION=10        # fan-out seconds measured
WARMUP=1
INGEST_CLIENTS=8   # ingest connections, spread over the instances
INGEST_WINDOW=64
INGEST_SECONDS=8
THREADS=2          # load generator threads
OUT=""

usage() {
    cat >&2 <<EOF
usage: bench/instances.sh [--instances 1,2,4] [--clients N] [--senders S] [--rate MSG_PER_S]
  [--duration S] [--warmup S] [--ingest-clients N] [--ingest-window W] [--ingest-seconds S]
  [--threads T] [--build DIR] [--out FILE.jsonl]
Needs confabd, confab_loadgen and confab_bench_seed built in --build (default build/ci),
and PostgreSQL's server programs (initdb, pg_ctl) installed.
EOF
    exit 2
}

while [[ $# -gt 0 ]]; do
    [[ $# -ge 2 ]] || usage
    case "$1" in
        --instances) INSTANCES=$2 ;;
        --clients) CLIENTS=$2 ;;
        --senders) SENDERS=$2 ;;
        --rate) RATE=$2 ;;
        --duration) DURATION=$2 ;;
        --warmup) WARMUP=$2 ;;
        --ingest-clients) INGEST_CLIENTS=$2 ;;
        --ingest-window) INGEST_WINDOW=$2 ;;
        --ingest-seconds) INGEST_SECONDS=$2 ;;
        --threads) THREADS=$2 ;;
        --build) BUILD=$2 ;;
        --out) OUT=$2 ;;
        *) usage ;;
    esac
    shift 2
done

CONFABD=$BUILD/server/confabd
LOADGEN=$BUILD/bench/confab_loadgen
SEED=$BUILD/bench/confab_bench_seed
for program in "$CONFABD" "$LOADGEN" "$SEED"; do
    [[ -x "$program" ]] || { echo "instances.sh: $program is not built" >&2; exit 1; }
done
command -v jq >/dev/null || { echo "instances.sh: needs jq" >&2; exit 1; }
# Debian keeps each major version's programs out of PATH; a link to initdb on PATH leads
# there (createdb, which this needs too, may not be linked).
PGBIN=$(dirname "$(readlink -f "$(command -v initdb 2>/dev/null || ls -d /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -1)")")
[[ -x "$PGBIN/initdb" ]] || { echo "instances.sh: PostgreSQL's initdb is not installed" >&2; exit 1; }

log() { echo "instances.sh: $*" >&2; }

WORK=$(mktemp -d /tmp/confab-instances.XXXXXX)
chmod 755 "$WORK"
PGDIR=$WORK/pg
PGPORT=5432   # only a Unix socket in $PGDIR: no clash with other clusters
PGUSER=confab
SERVER_PIDS=()
RUN_AS=()

stop_servers() {
    local pid
    for pid in ${SERVER_PIDS[@]+"${SERVER_PIDS[@]}"}; do
        kill "$pid" 2>/dev/null || true
    done
    for pid in ${SERVER_PIDS[@]+"${SERVER_PIDS[@]}"}; do
        wait "$pid" 2>/dev/null || true
    done
    SERVER_PIDS=()
}

cleanup() {
    stop_servers
    if [[ -f "$PGDIR/data/postmaster.pid" ]]; then
        (cd "$PGDIR" && ${RUN_AS[@]+"${RUN_AS[@]}"} "$PGBIN/pg_ctl" -D "$PGDIR/data" -m immediate -w stop >/dev/null 2>&1) || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- PostgreSQL ------------------------------------------------------------------
mkdir -p "$PGDIR"
if [[ $(id -u) -eq 0 ]]; then
    # initdb refuses root: the cluster belongs to an unprivileged user, as in the tests.
    account=postgres
    id "$account" >/dev/null 2>&1 || account=nobody
    chown "$account" "$PGDIR"
    RUN_AS=(runuser -u "$account" --)
fi
pg() { # program args...: run from the cluster's folder (the build may be unreadable to it)
    local program=$1
    shift
    (cd "$PGDIR" && ${RUN_AS[@]+"${RUN_AS[@]}"} "$PGBIN/$program" "$@")
}
log "PostgreSQL cluster in $PGDIR ($PGBIN)"
pg initdb -D "$PGDIR/data" -U "$PGUSER" -A trust -E UTF8 --locale=C --no-sync >"$WORK/initdb.log" 2>&1 \
    || { cat "$WORK/initdb.log" >&2; exit 1; }
# fsync and synchronous_commit stay at their defaults (on). More connections than the
# default 100: each instance keeps a few.
pg pg_ctl -D "$PGDIR/data" -l "$PGDIR/postgres.log" -w -t 60 \
    -o "-k $PGDIR -p $PGPORT -c listen_addresses='' -c max_connections=200" start >/dev/null \
    || { cat "$PGDIR/postgres.log" >&2; exit 1; }
PGPID=$(head -1 "$PGDIR/data/postmaster.pid")

# The postmaster and its children (backends, WAL writer, checkpointer, …): only this
# cluster's, not other clusters the same user runs.
postgres_pids() {
    local list
    list=$PGPID
    local child
    for child in $(pgrep -P "$PGPID" || true); do
        list+=",$child"
    done
    echo "$list"
}

# ---- accounts: seeded once into SQLite, copied into each fresh database --------------
USERS=$((CLIENTS > INGEST_CLIENTS ? CLIENTS : INGEST_CLIENTS))
"$SEED" --data "$WORK/seed" --users "$USERS" >&2

BASE_PORT=$((21000 + RANDOM % 2000))
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
[[ -n "$OUT" ]] && : >"$OUT"

launch() { # index url port: one confabd, waits until it listens
    local dir=$WORK/instance$1
    mkdir -p "$dir/data"
    # The same raised limits as tools/bench: the generator opens many connections from
    # one address and signs them all in at once.
    QT_LOGGING_RULES="confab.*.info=false" "$CONFABD" --data "$dir/data" --port "$3" \
        --set "database=$2" \
        --set rate_per_second=1000000 --set rate_burst=1000000 \
        --set max_connections=1000000 --set max_connections_per_address=1000000 \
        --set auth_timeout_ms=600000 --set handshake_timeout_ms=600000 \
        >"$dir/server.log" 2>&1 &
    local pid=$!
    SERVER_PIDS+=("$pid")
    local i
    for ((i = 0; i < 300; ++i)); do
        grep -q "listening on" "$dir/server.log" 2>/dev/null && return 0
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    log "confabd $1 did not start:"
    cat "$dir/server.log" >&2
    return 1
}

# A scenario that fails (clients that cannot connect) still gives its row: the loadgen's
# exit status is not fatal here.
loadgen() { # ports pids label args...: prints the JSON rows, keeps them in $OUT
    local ports=$1 pids=$2 label=$3
    shift 3
    "$LOADGEN" --system confab --ports "$ports" --server-pid "$pids" \
        --extra-pids "$(postgres_pids)" --threads "$THREADS" --in-flight 256 \
        --connect-timeout 600 "$@" | while IFS= read -r line; do
        if [[ "$line" == \{* ]]; then
            line="{\"instances\":$label,${line#\{}"
            echo "$line"
            [[ -z "$OUT" ]] || echo "$line" >>"$OUT"
        else
            echo "$line" >&2
        fi
    done
}

ROWS=()
IFS=, read -r -a COUNTS <<<"$INSTANCES"
for n in "${COUNTS[@]}"; do
    db=confab_n$n
    url="postgresql://$PGUSER@localhost/$db?host=$PGDIR&port=$PGPORT"
    pg createdb -h "$PGDIR" -p "$PGPORT" -U "$PGUSER" -E UTF8 --locale=C -T template0 "$db"
    "$CONFABD" --data "$WORK/seed" migrate --to "$url" >"$WORK/migrate-$n.log" 2>&1 \
        || { cat "$WORK/migrate-$n.log" >&2; exit 1; }
    rm -rf "$WORK"/instance*
    ports=() pids=()
    for ((i = 0; i < n; ++i)); do
        launch "$i" "$url" $((BASE_PORT + i))
        ports+=($((BASE_PORT + i)))
        pids+=("${SERVER_PIDS[-1]}")
    done
    portlist=$(IFS=,; echo "${ports[*]}")
    pidlist=$(IFS=,; echo "${pids[*]}")
    log "$n instance(s) on ports $portlist: fan-out, $CLIENTS clients at $RATE msg/s"
    fanout=$(loadgen "$portlist" "$pidlist" "$n" --scenarios fanout --clients "$CLIENTS" \
        --senders "$SENDERS" --rate "$RATE" --duration "$DURATION" --warmup "$WARMUP" | tail -1 || true)
    log "$n instance(s): ingest, $INGEST_CLIENTS connections x $INGEST_WINDOW"
    ingest=$(loadgen "$portlist" "$pidlist" "$n" --scenarios ingest --clients "$INGEST_CLIENTS" \
        --ingest-window "$INGEST_WINDOW" --ingest-seconds "$INGEST_SECONDS" --warmup "$WARMUP" | tail -1 || true)
    stop_servers
    ROWS+=("$(jq -nr --argjson f "${fanout:-null}" --argjson g "${ingest:-null}" --arg n "$n" '
        def r(x): if x == null then "-" else (x * 100 | round / 100 | tostring) end;
        def per1k(cpu; count): if cpu == null or count == null or count == 0 then "-"
            else (cpu * 1000 / count * 1000 | round / 1000 | tostring) end;
        [$n, r($f.clients), r($f.sent), r($f.deliveries_per_s), r($f.p50_ms), r($f.p99_ms),
         r($f.lost), r($g.acks_per_s), r($g.p99_ms),
         per1k($f.server_cpu_s; $f.sent), per1k($g.server_cpu_s; $g.acks),
         per1k($f.db_cpu_s; $f.sent), per1k($g.db_cpu_s; $g.acks)]
        | "| " + join(" | ") + " |"')")
done

echo
echo "Fan-out: $RATE msg/s for $DURATION s from $SENDERS senders; ingest: $INGEST_CLIENTS connections x $INGEST_WINDOW outstanding for $INGEST_SECONDS s."
echo "CPU per 1k messages in seconds: fan-out per message sent, ingest per ack; PostgreSQL = its postmaster and children."
echo
echo "| instances | clients | sent | deliveries/s | p50 ms | p99 ms | lost | ingest acks/s | ingest p99 ms | confabd CPU s/1k (fan-out) | confabd CPU s/1k (ingest) | PostgreSQL CPU s/1k (fan-out) | PostgreSQL CPU s/1k (ingest) |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|"
printf '%s\n' "${ROWS[@]}"
