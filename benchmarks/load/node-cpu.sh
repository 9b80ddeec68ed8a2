#!/usr/bin/env bash
# CPU, context switches and writes/s of a 3-node ActorChain cluster at steady state: the A/B harness behind
# docs/benchmarks.md's 2026-12-06 section. Starts 3 durable nodes of the build in REPO on 127.0.0.1 (HTTP
# 27021-27023, remote 27031-27033), warms them up with the load tool, measures one run, stops every node.
#   benchmarks/load/node-cpu.sh [--repo DIR] [--clients N] [--warmup S] [--duration S] [--rate R] [--node-env K=V]...
#   --repo DIR      the checkout whose Release build runs (default: this one; build it first)
#   --clients N     concurrent writers (64); 0 measures the idle cluster   --rate R   writes/s in all; 0 = closed loop (0)
#   --warmup S      unmeasured load first, for the JIT (35)   --duration S  the measured run (15)
#   --node-env K=V  an environment variable for the nodes (repeatable), e.g. ACTORCHAIN__CHAIN__JOURNALBATCHWINDOW=00:00:00
# Prints writes/s and p50; the JIT time the nodes spent in the measured run (a warm-up too short shows) and the bytes
# they allocated per write; then per node and in all: user and kernel CPU (% of one core), voluntary and involuntary
# context switches per write (every thread), and CPU ms per write; with --clients 0, after the warm-up as a pause,
# CPU and switches per second of the idle nodes. Alternate builds or settings run by run: one run on a shared
# 2-core machine varies by ±20 %.
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
fail() { echo "node-cpu.sh: $*" >&2; exit 2; }
usage() { sed -n '2,12s/^# \{0,1\}//p' "$0"; }

repo=$here clients=64 warmup=35 duration=15 rate=0 node_env=()
while [ $# -gt 0 ]; do
  case "$1" in
    --repo) [ $# -ge 2 ] || fail "--repo needs a directory"; repo=$2; shift 2 ;;
    --clients) [ $# -ge 2 ] || fail "--clients needs a number"; clients=$2; shift 2 ;;
    --warmup) [ $# -ge 2 ] || fail "--warmup needs seconds"; warmup=$2; shift 2 ;;
    --duration) [ $# -ge 2 ] || fail "--duration needs seconds"; duration=$2; shift 2 ;;
    --rate) [ $# -ge 2 ] || fail "--rate needs writes/s"; rate=$2; shift 2 ;;
    --node-env) [ $# -ge 2 ] && [[ "$2" == ?*=* ]] || fail "--node-env needs NAME=VALUE"; node_env+=("$2"); shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; fail "unknown option '$1'" ;;
  esac
done
for n in "$clients" "$warmup" "$duration" "$rate"; do [[ "$n" =~ ^[0-9]+$ ]] || fail "'$n' is not a whole number"; done
[ "$duration" -ge 1 ] || fail "--duration must be at least 1"
node_dll=$repo/src/ActorChain.Node/bin/Release/net10.0/ActorChain.Node.dll
cli_dll=$repo/src/ActorChain.Cli/bin/Release/net10.0/actorchain.dll
[ -f "$node_dll" ] && [ -f "$cli_dll" ] || fail "no Release build in '$repo': run 'dotnet build -c Release' there first."
command -v jq >/dev/null && command -v curl >/dev/null || fail "needs jq and curl (apt-get install jq curl)."
for port in 27021 27022 27023 27031 27032 27033; do
  ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || fail "port $port on 127.0.0.1 is in use."
done

work=$(mktemp -d "${TMPDIR:-/var/tmp}/node-cpu.XXXXXX")
pids=()
cleanup() { [ ${#pids[@]} -eq 0 ] || kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
trap 'exit 130' INT TERM
export ACTORCHAIN__CHAIN__INITIALVOTERS__0=node-1 ACTORCHAIN__CHAIN__INITIALVOTERS__1=node-2 ACTORCHAIN__CHAIN__INITIALVOTERS__2=node-3 ACTORCHAIN__NODE__LEAVETIMEOUT=2s
for i in 1 2 3; do
  mkdir -p "$work/n$i"
  (cd "$repo" && exec env "${node_env[@]}" dotnet "$node_dll" --config hocon/local-cluster.conf --node-id "node-$i" --hostname 127.0.0.1 \
    --port $((27030 + i)) --http-port $((27020 + i)) --seeds 127.0.0.1:27031,127.0.0.1:27032 --data "$work/n$i" >"$work/n$i/log" 2>&1) &
  pids+=("$!")
done
for i in 1 2 3; do
  for _ in $(seq 1 240); do curl -sf "http://127.0.0.1:$((27020 + i))/health/ready" >/dev/null && continue 2; sleep 0.5; done
  fail "node-$i was not ready within 120 s; its log ends: $(tail -n 5 "$work/n$i/log")"
done

endpoints=http://127.0.0.1:27021,http://127.0.0.1:27022,http://127.0.0.1:27023
load() { dotnet "$cli_dll" load --endpoints "$endpoints" --clients "$clients" --readers 0 --file-every 0 "$@"; }
if [ "$clients" -eq 0 ]; then sleep "$warmup"; else
  [ "$warmup" -eq 0 ] || load --duration "${warmup}s" --json >/dev/null 2>&1 || fail "the warm-up load failed"
fi
tck=$(getconf CLK_TCK)
snapshot() { # per node: user ticks, kernel ticks, voluntary and involuntary switches summed over its threads
  local pid stat
  for pid in $(for p in "${pids[@]}"; do pgrep -P "$p" dotnet || echo "$p"; done); do
    stat=$(cat "/proc/$pid/stat"); stat=${stat##*) }
    # shellcheck disable=SC2086
    set -- $stat
    echo "${12} ${13} $(cat /proc/"$pid"/task/*/status 2>/dev/null | awk '/^voluntary_ctxt/{v+=$2} /^nonvoluntary_ctxt/{n+=$2} END{print v+0, n+0}')"
  done
}
counters() { # the nodes' JIT time so far (ms; a warm-up too short for the tiered JIT shows up here) and bytes allocated
  for i in 1 2 3; do curl -sf "http://127.0.0.1:$((27020 + i))/metrics" || true; done |
    awk '$1 == "actorchain_jit_compilation_seconds_total" {s += $2} $1 == "actorchain_gc_allocated_bytes_total" {a += $2}
         END {printf "%.0f %.0f", 1000 * s, a}'
}
read -r jit_before alloc_before <<<"$(counters)"
before=$(snapshot)
if [ "$clients" -eq 0 ]; then
  sleep "$duration"
  after=$(snapshot)
  echo "idle: 3 nodes, ${duration} s after ${warmup} s"
  paste <(echo "$before") <(echo "$after") | awk -v s="$duration" -v t="$tck" '
    { u = ($5 - $1) / t; k = ($6 - $2) / t; v = $7 - $3; n = $8 - $4; tu += u; tk += k; tv += v; tn += n
      printf "node-%d: user %.1f %%, kernel %.1f %%, switches %.0f/s voluntary, %.0f/s involuntary\n", NR, 100 * u / s, 100 * k / s, v / s, n / s }
    END { printf "all: CPU %.1f %% of a core (user %.1f, kernel %.1f), switches %.0f/s voluntary, %.0f/s involuntary\n",
          100 * (tu + tk) / s, 100 * tu / s, 100 * tk / s, tv / s, tn / s }'
  exit 0
fi
load --rate "$rate" --duration "${duration}s" --json >"$work/load.json" 2>"$work/load.err" || fail "the measured load failed: $(tail -n 5 "$work/load.err")"
after=$(snapshot)
read -r jit_after alloc_after <<<"$(counters)"
writes=$(jq '.writesPerSecond' "$work/load.json")
echo "writes/s $(printf '%.0f' "$writes"), p50 $(jq '.operations[] | select(.operation == "kv.put") | .p50Ms' "$work/load.json") ms ($clients clients, rate $rate, ${duration} s after ${warmup} s)"
awk -v j=$((jit_after - jit_before)) -v a=$((alloc_after - alloc_before)) -v w="$writes" -v s="$duration" \
  'BEGIN {printf "JIT %d ms in the 3 nodes, %.1f KB allocated per write in the 3 nodes\n", j, a / (w * s * 1024)}'
paste <(echo "$before") <(echo "$after") | awk -v w="$writes" -v s="$duration" -v t="$tck" '
  { u = ($5 - $1) / t; k = ($6 - $2) / t; v = $7 - $3; n = $8 - $4; tu += u; tk += k; tv += v; tn += n
    printf "node-%d: user %.0f %%, kernel %.0f %%, switches per write %.2f voluntary, %.2f involuntary\n", NR, 100 * u / s, 100 * k / s, v / (w * s), n / (w * s) }
  END { printf "all: user %.0f %%, kernel %.0f %%, CPU per write %.3f ms (user %.3f, kernel %.3f), switches per write %.2f voluntary, %.2f involuntary\n",
        100 * tu / s, 100 * tk / s, 1000 * (tu + tk) / (w * s), 1000 * tu / (w * s), 1000 * tk / (w * s), tv / (w * s), tn / (w * s) }'
