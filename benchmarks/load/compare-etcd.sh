#!/usr/bin/env bash
# ActorChain against etcd on this machine, side by side, with one load tool and one kv workload.
#   benchmarks/load/compare-etcd.sh [--duration S] [--warmup S] [--warmup-max S] [--clients 1,16,64] [--quick]
#                                   [--out FILE] [--perf] [--node-env K=V]... [--cli PATH] [--port-base N] [--data DIR] [--keep]
# Starts a 3-member etcd cluster (default fsync) and a 3-node durable ActorChain cluster on 127.0.0.1, each
# member in its own temporary data directory, runs `actorchain load` against each (256-byte kv puts, no
# reads, clients spread round-robin over the members) for every client count, and prints one table:
# writes/s and p50/p99 of both systems and the ratios. Every process it starts is stopped at the end.
#   --duration S   seconds per measured run (default 20)       --warmup S  unmeasured run per system first (default 5)
#   --warmup-max S ActorChain's warm-up goes on in 5 s rounds at the largest client count until its nodes' JIT is
#                  quiet (under 150 ms of compiling in a round, 1 % of their CPU), for at most S seconds (default 120)
#   --clients L    comma-separated client counts (1,16,64)     --quick     3 s runs, 1 s warm-up: a smoke test
#   --out FILE     also write the table and profile there (default ./compare-etcd-<UTC time>.md; raw JSON in FILE.d/)
#   --perf         perf record ActorChain node-1 during the largest run (symbols of JIT code via perf maps)
#   --node-env K=V an environment variable for the ActorChain nodes only (repeatable), e.g. a DOTNET_ knob
#   --cli PATH     the actorchain CLI (its .dll or executable); default src/ActorChain.Cli/bin/Release/net10.0
#   --port-base N  etcd clients N+1..3, etcd peers N+11..13, ActorChain HTTP N+21..23, remote N+31..33 (24000)
#   --data DIR     parent of the temporary data directories (default $TMPDIR or /tmp; must not be tmpfs)
#   --keep         keep the data directories and logs
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
usage() { sed -n '2,21s/^# \{0,1\}//p' "$0"; }
fail() { echo "compare-etcd.sh: $*" >&2; exit 2; }
say() { echo "==> $*" >&2; }

duration=20 warmup=5 warmup_max=120 clients_list=1,16,64 out="" perf_record=0 node_env=() cli_path="" port_base=24000 data_parent=${TMPDIR:-/tmp} keep=0
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) [ $# -ge 2 ] || fail "--duration needs seconds"; duration=$2; shift 2 ;;
    --warmup) [ $# -ge 2 ] || fail "--warmup needs seconds"; warmup=$2; shift 2 ;;
    --warmup-max) [ $# -ge 2 ] || fail "--warmup-max needs seconds"; warmup_max=$2; shift 2 ;;
    --clients) [ $# -ge 2 ] || fail "--clients needs a list like 1,16,64"; clients_list=$2; shift 2 ;;
    --quick) duration=3 warmup=1 warmup_max=1; shift ;;
    --out) [ $# -ge 2 ] || fail "--out needs a file"; out=$2; shift 2 ;;
    --perf) perf_record=1; shift ;;
    --node-env) [ $# -ge 2 ] && [[ "$2" == ?*=* ]] || fail "--node-env needs NAME=VALUE"; node_env+=("$2"); shift 2 ;;
    --cli) [ $# -ge 2 ] || fail "--cli needs a path"; cli_path=$2; shift 2 ;;
    --port-base) [ $# -ge 2 ] || fail "--port-base needs a port"; port_base=$2; shift 2 ;;
    --data) [ $# -ge 2 ] || fail "--data needs a directory"; data_parent=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; fail "unknown option '$1'" ;;
  esac
done

is_int() { [[ "$1" =~ ^[0-9]+$ ]]; }
is_int "$duration" && [ "$duration" -ge 1 ] || fail "--duration must be whole seconds ≥ 1, not '$duration'"
is_int "$warmup" || fail "--warmup must be whole seconds ≥ 0, not '$warmup'"
is_int "$warmup_max" || fail "--warmup-max must be whole seconds ≥ 0, not '$warmup_max'"
[ "$warmup_max" -ge "$warmup" ] || warmup_max=$warmup
is_int "$port_base" && [ "$port_base" -ge 1024 ] && [ "$port_base" -le 65000 ] || fail "--port-base must be 1024..65000, not '$port_base'"
IFS=',' read -r -a clients <<<"$clients_list"
[ "${#clients[@]}" -ge 1 ] || fail "--clients is empty"
for c in "${clients[@]}"; do is_int "$c" && [ "$c" -ge 1 ] || fail "--clients must be numbers ≥ 1, not '$clients_list'"; done
max_clients=$(printf '%s\n' "${clients[@]}" | sort -n | tail -1)
[ -n "$out" ] || out="./compare-etcd-$(date -u +%Y%m%dT%H%M%SZ).md"
[ -d "$data_parent" ] || fail "--data '$data_parent' is not a directory"

# ---- what it needs: etcd 3.4 from Debian, jq, curl, the .NET SDK and the built node and CLI
need_apt=()
command -v etcd >/dev/null 2>&1 || need_apt+=(etcd-server)
command -v etcdctl >/dev/null 2>&1 || need_apt+=(etcd-client)
command -v jq >/dev/null 2>&1 || need_apt+=(jq)
command -v curl >/dev/null 2>&1 || need_apt+=(curl)
if [ "${#need_apt[@]}" -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || { command -v sudo >/dev/null 2>&1 && sudo="sudo -n"; }
  if ! command -v apt-get >/dev/null 2>&1 || { [ "$(id -u)" -ne 0 ] && [ -z "$sudo" ]; }; then
    fail "missing ${need_apt[*]}; this script installs them with apt-get as root (Debian/Ubuntu). Install them yourself (e.g. 'sudo apt-get install ${need_apt[*]}') and run it again."
  fi
  say "installing ${need_apt[*]} with apt-get"
  if ! $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need_apt[@]}" >/dev/null; then
    $sudo apt-get update -q >/dev/null || true
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need_apt[@]}" >/dev/null ||
      fail "'apt-get install ${need_apt[*]}' failed; install them by hand and run again."
  fi
fi
command -v dotnet >/dev/null 2>&1 || fail "the .NET SDK is missing: install the .NET 10 SDK, run 'dotnet build -c Release', then this script."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

node_dll=$repo/src/ActorChain.Node/bin/Release/net10.0/ActorChain.Node.dll
if [ ! -f "$node_dll" ]; then
  say "building the node (src/ActorChain.Node, Release)"
  dotnet build "$repo/src/ActorChain.Node" -c Release -nologo -v quiet -clp:NoSummary >&2 || fail "building src/ActorChain.Node failed; run 'dotnet build -c Release' and read its errors."
fi
[ -n "$cli_path" ] || cli_path=$repo/src/ActorChain.Cli/bin/Release/net10.0/actorchain.dll
if [ ! -e "$cli_path" ] && [ "$cli_path" = "$repo/src/ActorChain.Cli/bin/Release/net10.0/actorchain.dll" ]; then
  say "building the CLI (src/ActorChain.Cli, Release)"
  dotnet build "$repo/src/ActorChain.Cli" -c Release -nologo -v quiet -clp:NoSummary >&2 || fail "building src/ActorChain.Cli failed; run 'dotnet build -c Release' and read its errors."
fi
[ -e "$cli_path" ] || fail "no actorchain CLI at '$cli_path' (--cli)."
case "$cli_path" in *.dll) cli=(dotnet "$cli_path") ;; *) cli=("$cli_path") ;; esac
"${cli[@]}" load --help >/dev/null 2>&1 || fail "'${cli[*]} load --help' failed: this CLI has no 'load' command (build a newer one, or pass --cli)."

etcd_version=$(etcd --version 2>/dev/null | sed -n 's/^etcd Version: //p')
case "$etcd_version" in 3.4.*|3.5.*|3.6.*) ;; *) fail "etcd '$etcd_version' found; the load tool speaks etcd 3.4+'s JSON gateway (/v3/kv/put)." ;; esac

# ---- ports and data directories
etcd_client() { echo $((port_base + $1)); }
etcd_peer() { echo $((port_base + 10 + $1)); }
ac_http() { echo $((port_base + 20 + $1)); }
ac_remote() { echo $((port_base + 30 + $1)); }
for i in 1 2 3; do
  for port in "$(etcd_client "$i")" "$(etcd_peer "$i")" "$(ac_http "$i")" "$(ac_remote "$i")"; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      fail "port $port on 127.0.0.1 is in use; pick free ports with --port-base (now $port_base)."
    fi
  done
done
work=$(mktemp -d "$data_parent/compare-etcd.XXXXXX")
fs_type=$(findmnt -n -o FSTYPE -T "$work" 2>/dev/null || stat -f -c %T "$work" 2>/dev/null || echo unknown)
[ "$fs_type" != tmpfs ] && [ "$fs_type" != ramfs ] ||
  { rm -rf "$work"; fail "'$data_parent' is $fs_type, where fsync costs nothing; give a disk directory with --data."; }
raw_dir="${out}.d"
mkdir -p "$raw_dir" || fail "cannot create '$raw_dir' beside --out '$out'"
: >"$out" || fail "cannot write --out '$out'"

# ---- every process started here is stopped on exit, Ctrl-C or failure
server_pids=() helper_pids=()
cleanup() {
  local rc=$?
  trap - INT TERM EXIT
  for pid in "${helper_pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  if [ "${#server_pids[@]}" -gt 0 ]; then
    say "stopping ${#server_pids[@]} processes (3 etcd members, 3 ActorChain nodes)"
    for pid in "${server_pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for _ in $(seq 1 40); do
      alive=0
      for pid in "${server_pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
      [ "$alive" -eq 1 ] || break
      sleep 0.25
    done
    for pid in "${server_pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  fi
  wait 2>/dev/null || true
  # The perf map a --perf node wrote (JIT symbols) is only needed for the report.
  [ "$perf_record" -eq 1 ] && [ -n "${ac_pids[1]:-}" ] && rm -f "/tmp/perf-${ac_pids[1]}.map" "/tmp/perfinfo-${ac_pids[1]}.map"
  if [ "$keep" -eq 1 ] || [ "$rc" -ne 0 ]; then
    echo "compare-etcd.sh: data and logs kept in $work" >&2
  else
    rm -rf "$work"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---- etcd: 3 members, default fsync, own data directories
initial_cluster="e1=http://127.0.0.1:$(etcd_peer 1),e2=http://127.0.0.1:$(etcd_peer 2),e3=http://127.0.0.1:$(etcd_peer 3)"
etcd_endpoints=""
say "starting etcd $etcd_version: 3 members, clients on 127.0.0.1:$(etcd_client 1)-$(etcd_client 3)"
for i in 1 2 3; do
  mkdir -p "$work/etcd-$i"
  etcd --name "e$i" --data-dir "$work/etcd-$i/data" \
    --listen-client-urls "http://127.0.0.1:$(etcd_client "$i")" --advertise-client-urls "http://127.0.0.1:$(etcd_client "$i")" \
    --listen-peer-urls "http://127.0.0.1:$(etcd_peer "$i")" --initial-advertise-peer-urls "http://127.0.0.1:$(etcd_peer "$i")" \
    --initial-cluster "$initial_cluster" --initial-cluster-token "compare-etcd-$$" --initial-cluster-state new \
    >"$work/etcd-$i/etcd.log" 2>&1 &
  server_pids+=("$!")
  etcd_pids[i]=$!
  etcd_endpoints+="${etcd_endpoints:+,}http://127.0.0.1:$(etcd_client "$i")"
done

# ---- ActorChain: 3 durable nodes (journal and acceptor log fsync'd under their own data directories)
seeds="127.0.0.1:$(ac_remote 1),127.0.0.1:$(ac_remote 2)"
for i in 1 2 3; do export "ACTORCHAIN__CHAIN__INITIALVOTERS__$((i - 1))=node-${i}"; done
# Nodes stopped together need not wait long for the others to see them leave.
export ACTORCHAIN__NODE__LEAVETIMEOUT=2s
ac_endpoints=""
say "starting ActorChain: 3 nodes, HTTP on 127.0.0.1:$(ac_http 1)-$(ac_http 3)"
for i in 1 2 3; do
  mkdir -p "$work/node-$i"
  perf_env=("${node_env[@]}")
  # perf resolves JIT code through /tmp/perf-<pid>.map only without W^X double mapping, and framework code only
  # when it is jitted too (not ReadyToRun); node-1 then starts slower, but runs the same code once warm.
  [ "$perf_record" -eq 1 ] && [ "$i" -eq 1 ] && perf_env+=(DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 DOTNET_ReadyToRun=0)
  (cd "$repo" && exec env "${perf_env[@]}" dotnet "$node_dll" --config hocon/local-cluster.conf --node-id "node-$i" \
    --hostname 127.0.0.1 --port "$(ac_remote "$i")" --http-port "$(ac_http "$i")" --seeds "$seeds" \
    --data "$work/node-$i" >"$work/node-$i/node.log" 2>&1) &
  server_pids+=("$!")
  ac_pids[i]=$!
  ac_endpoints+="${ac_endpoints:+,}http://127.0.0.1:$(ac_http "$i")"
done

wait_ready() { # name url pid log
  for _ in $(seq 1 240); do
    if body=$(curl -sf --max-time 2 "$2" 2>/dev/null); then
      case "$2" in */health) [[ "$body" == *'"health":"true"'* ]] && return 0 ;; *) return 0 ;; esac
    fi
    kill -0 "$3" 2>/dev/null || fail "$1 exited while starting; its log ($4) ends:"$'\n'"$(tail -n 15 "$4")"
    sleep 0.5
  done
  fail "$1 was not healthy at $2 within 120 s; see $4"
}
for i in 1 2 3; do wait_ready "etcd member e$i" "http://127.0.0.1:$(etcd_client "$i")/health" "${etcd_pids[i]}" "$work/etcd-$i/etcd.log"; done
for i in 1 2 3; do wait_ready "ActorChain node-$i" "http://127.0.0.1:$(ac_http "$i")/health/ready" "${ac_pids[i]}" "$work/node-$i/node.log"; done
say "both clusters are healthy"

# ---- cheap profile: CPU of every process from /proc, the machine's busy/iowait share, fsync counts (perf stat),
# ---- each system's own metrics before and after every run, and a `top` snapshot in the largest run
clk_tck=$(getconf CLK_TCK)
cpu_ticks() { local s; s=$(cat "/proc/$1/stat" 2>/dev/null) || { echo ""; return; }; s=${s##*) }; set -- $s; echo $(( ${12} + ${13} )); }
machine_ticks() { awk '/^cpu /{print $2+$3+$4+$5+$6+$7+$8+$9, $5, $6; exit}' /proc/stat; } # total idle iowait
perf_stat_ok=0
if command -v perf >/dev/null 2>&1 && perf stat -e 'syscalls:sys_enter_fsync' -- true >/dev/null 2>&1; then perf_stat_ok=1; fi
if [ "$perf_record" -eq 1 ] && [ "$perf_stat_ok" -ne 1 ]; then fail "--perf needs a working 'perf' (linux-perf, and perf_event_paranoid ≤ 2 or root)."; fi

scrape() { # system file: the metrics of all three members, one after the other
  : >"$2"
  for i in 1 2 3; do
    if [ "$1" = etcd ]; then curl -sf --max-time 5 "http://127.0.0.1:$(etcd_client "$i")/metrics" >>"$2" || true
    else curl -sf --max-time 5 "http://127.0.0.1:$(ac_http "$i")/metrics" >>"$2" || true; fi
  done
}
metric_delta() { # before after series-regex: the summed change of the matching series over all members
  awk -v re="$3" 'FNR==1{f++} $1 ~ ("^" re "$") {if (f==1) b+=$2; else a+=$2} END{printf "%.6f", a-b}' "$1" "$2"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN{ if (b+0 == 0) print "—"; else printf "%.2f", a/b }'; }

run_load() { # system clients tag → writes $raw_dir/<tag>.json (+ .err, .cpu, .metrics-*)
  local system=$1 c=$2 tag=$3 measure=$4 endpoints lp rc
  [ "$system" = etcd ] && endpoints=$etcd_endpoints || endpoints=$ac_endpoints
  local cmd=("${cli[@]}" load --target "$system" --endpoints "$endpoints" --clients "$c" --readers 0 --file-every 0
    --value-size 256 --keys 10000 --key-prefix "cmp-$tag-" --duration "${5}s" --settle 5s --json)
  [ "$measure" -eq 1 ] && echo "${cmd[*]}" >>"$raw_dir/commands.txt"
  scrape "$system" "$raw_dir/$tag.metrics-before"
  "${cmd[@]}" >"$raw_dir/$tag.json" 2>"$raw_dir/$tag.err" &
  lp=$!
  helper_pids+=("$lp")
  if [ "$measure" -eq 1 ]; then
    # The window skips the tool's start-up (JIT, endpoint checks) and its last second.
    local w0=2 win=$(( $5 - 3 ))
    [ "$5" -ge 6 ] || { w0=1; win=$(( $5 > 2 ? $5 - 2 : 1 )); }
    sleep "$w0"
    local procs=("${etcd_pids[1]}" "${etcd_pids[2]}" "${etcd_pids[3]}" "${ac_pids[1]}" "${ac_pids[2]}" "${ac_pids[3]}" "$lp")
    local names=(etcd-e1 etcd-e2 etcd-e3 node-1 node-2 node-3 load-tool) before=() stats=() p
    for p in "${procs[@]}"; do before+=("$(cpu_ticks "$p")"); done
    read -r m_total0 m_idle0 m_io0 < <(machine_ticks)
    local t0 t1 after=() load_before; t0=$(date +%s%N) load_before=$(cut -d' ' -f1 /proc/loadavg)
    if [ "$c" -eq "$max_clients" ] && [ "$perf_stat_ok" -eq 1 ]; then
      for p in "${procs[@]:0:6}"; do
        perf stat -x, -e 'syscalls:sys_enter_fsync,syscalls:sys_enter_fdatasync' -p "$p" -o "$raw_dir/$tag.perfstat-$p" -- sleep "$win" >/dev/null 2>&1 &
        helper_pids+=("$!"); stats+=("$!")
      done
      if [ "$perf_record" -eq 1 ] && [ "$system" = actorchain ]; then
        perf record -F 499 -g -p "${ac_pids[1]}" -o "$raw_dir/$tag.perf.data" -- sleep "$win" >/dev/null 2>&1 &
        helper_pids+=("$!"); stats+=("$!")
      fi
    fi
    if [ "$c" -eq "$max_clients" ]; then
      (sleep $(( win / 2 )); top -b -n 2 -d 1 -w 200 2>/dev/null | awk '/^top -/{n++} n==2' | head -n 22 >"$raw_dir/$tag.top") &
      helper_pids+=("$!"); stats+=("$!")
    fi
    sleep "$win"
    for p in "${procs[@]}"; do after+=("$(cpu_ticks "$p")"); done
    read -r m_total1 m_idle1 m_io1 < <(machine_ticks)
    t1=$(date +%s%N)
    {
      echo "window_s $win"
      echo "loadavg_1m $load_before $(cut -d' ' -f1 /proc/loadavg)"
      local i
      for i in "${!procs[@]}"; do
        # A process that ended inside the window has no CPU figure ("—"), rather than a wrong one.
        echo "cpu ${names[i]} $(awk -v a="${before[i]}" -v b="${after[i]}" -v t="$clk_tck" -v ns=$((t1 - t0)) 'BEGIN{ if (a == "" || b == "") print "—"; else printf "%.0f", 100*(b-a)/t/(ns/1e9) }')"
      done
      echo "machine_busy_pct $(awk -v t=$((m_total1 - m_total0)) -v i=$((m_idle1 - m_idle0)) -v o=$((m_io1 - m_io0)) 'BEGIN{printf "%.0f", t ? 100*(t-i-o)/t : 0}')"
      echo "machine_iowait_pct $(awk -v t=$((m_total1 - m_total0)) -v o=$((m_io1 - m_io0)) 'BEGIN{printf "%.0f", t ? 100*o/t : 0}')"
    } >"$raw_dir/$tag.cpu"
    for p in "${stats[@]}"; do wait "$p" 2>/dev/null || true; done
  fi
  rc=0
  wait "$lp" || rc=$?
  scrape "$system" "$raw_dir/$tag.metrics-after"
  if [ "$rc" -ne 0 ] || ! jq -e '.writesPerSecond' "$raw_dir/$tag.json" >/dev/null 2>&1; then
    fail "'actorchain load' against $system with $c clients failed (exit $rc). Its output:"$'\n'"$(tail -n 20 "$raw_dir/$tag.err") $(head -c 2000 "$raw_dir/$tag.json")"$'\n'"Logs: $work"
  fi
}

# ---- the runs: a warm-up per system (JIT, connections, etcd's first WAL segment), then per client count
# ---- etcd and ActorChain one after the other, so both see the same machine load as nearly as possible
echo "# commands (one per measured run)" >"$raw_dir/commands.txt"
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
jit_ms() { # the three ActorChain nodes' JIT time so far in ms (0 from a node without the metric)
  scrape actorchain "$raw_dir/jit-probe"
  awk '$1 == "actorchain_jit_compilation_seconds_total" {s += $2} END {printf "%.0f", 1000 * s}' "$raw_dir/jit-probe"
}
ac_warmup_s=0
if [ "$warmup" -gt 0 ]; then
  say "warm-up: ${warmup} s per system, 16 clients (not measured)"
  # ActorChain first: its tiered JIT finishes recompiling hot methods while etcd warms up, not during a measured run.
  run_load actorchain 16 warmup-actorchain 0 "$warmup"
  ac_warmup_s=$warmup
  # A node just started spends a large share of its CPU on tiered compilation under load for tens of seconds
  # (20 % of node-1's samples in `perf` 5-20 s after start); etcd is compiled ahead of time. Both are measured
  # warm: load at the largest client count until a 5 s round spends under 150 ms compiling (1 % of the three nodes'
  # CPU; the count of methods never settles to zero, as rarely taken paths keep being compiled for minutes).
  jit=$(jit_ms)
  while [ $((ac_warmup_s + 5)) -le "$warmup_max" ]; do
    run_load actorchain "$max_clients" warmup-actorchain 0 5
    ac_warmup_s=$((ac_warmup_s + 5))
    now=$(jit_ms)
    say "  ActorChain warm-up ${ac_warmup_s} s: $((now - jit)) ms compiling in the last 5 s"
    [ $((now - jit)) -ge 150 ] || break
    jit=$now
  done
  run_load etcd 16 warmup-etcd 0 "$warmup"
fi
for c in "${clients[@]}"; do
  for system in etcd actorchain; do
    say "$system, $c clients, ${duration} s"
    run_load "$system" "$c" "$system-$c" 1 "$duration"
    jq -r --arg s "$system" --arg c "$c" '"    \($s) \($c) clients: \(.writesPerSecond|floor) writes/s, p50 \(.operations[]|select(.operation=="kv.put")|.p50Ms) ms, p99 \(.operations[]|select(.operation=="kv.put")|.p99Ms) ms"' "$raw_dir/$system-$c.json" >&2
  done
done
load_end=$(cut -d' ' -f1-3 /proc/loadavg)

# ---- the table, the goals and the profile
put() { jq -r --arg f "$2" '(.operations[] | select(.operation == "kv.put") | .[$f]) // 0' "$raw_dir/$1.json"; }
total() { jq -r --arg f "$2" '.[$f]' "$raw_dir/$1.json"; }
fmt() { awk -v v="$1" -v f="$2" 'BEGIN{printf f, v}'; }
cpu_of() { awk -v n="$2" '$1=="cpu" && $2 ~ ("^" n) {if ($3 == "—") gone=1; s+=$3} END{print (gone ? "—" : s+0)}' "$raw_dir/$1.cpu"; }
cpu_line() { awk -v k="$2" '$1==k {print $2}' "$raw_dir/$1.cpu"; }
fsyncs() { # tag pid-list seconds: fsync+fdatasync per second over the listed processes
  local n=0 p f
  for p in $2; do
    f="$raw_dir/$1.perfstat-$p"
    [ -f "$f" ] && n=$((n + $(awk -F, '/sys_enter_f/ {gsub(/[^0-9]/, "", $1); s+=$1} END{print s+0}' "$f")))
  done
  awk -v n="$n" -v s="$3" 'BEGIN{printf "%.0f", n/s}'
}

{
  echo "## ActorChain vs etcd — $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "Machine: $(nproc) cores ($(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)), $(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo), data on $fs_type ($(df -P "$work" | awk 'NR==2{print $1}')); load average $load_start at the start, $load_end at the end."
  echo "etcd $etcd_version (3 members, default fsync) · ActorChain $(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo '?') (3 durable nodes) · .NET $(dotnet --version)${node_env[*]:+ · nodes with ${node_env[*]}} · $duration s per run after a warm-up of ${warmup} s (etcd) and ${ac_warmup_s} s (ActorChain, until its JIT was quiet), 256-byte kv puts, no readers, clients round-robin over the 3 members."
  echo
  echo "| clients | etcd writes/s | etcd p50 / p99 ms | ActorChain writes/s | ActorChain p50 / p99 ms | throughput AC/etcd | p50 etcd/AC | p99 etcd/AC | errors etcd / AC |"
  echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  for c in "${clients[@]}"; do
    e="etcd-$c" a="actorchain-$c"
    echo "| $c | $(fmt "$(total "$e" writesPerSecond)" %.0f) | $(fmt "$(put "$e" p50Ms)" %.2f) / $(fmt "$(put "$e" p99Ms)" %.2f) | $(fmt "$(total "$a" writesPerSecond)" %.0f) | $(fmt "$(put "$a" p50Ms)" %.2f) / $(fmt "$(put "$a" p99Ms)" %.2f) | $(ratio "$(total "$a" writesPerSecond)" "$(total "$e" writesPerSecond)") | $(ratio "$(put "$e" p50Ms)" "$(put "$a" p50Ms)") | $(ratio "$(put "$e" p99Ms)" "$(put "$a" p99Ms)") | $(put "$e" errors) / $(put "$a" errors) |"
  done
  echo
  echo "Ratios above 1 favour ActorChain in every ratio column. Goals (issue 10):"
  goal() { # text value threshold
    awk -v t="$1" -v v="$2" -v g="$3" 'BEGIN{ if (v == "—") printf "- %s: not measured\n", t; else printf "- %s: %s — %s\n", t, v, (v+0 >= g ? "met" : "NOT met") }'
  }
  has() { printf '%s\n' "${clients[@]}" | grep -qx "$1"; }
  if has 64; then
    goal "throughput with 64 clients ≥ 2× etcd's (AC/etcd ≥ 2)" "$(ratio "$(total actorchain-64 writesPerSecond)" "$(total etcd-64 writesPerSecond)")" 2
    goal "p99 with 64 clients ≤ etcd's (etcd/AC ≥ 1)" "$(ratio "$(put etcd-64 p99Ms)" "$(put actorchain-64 p99Ms)")" 1
  fi
  if has 1; then goal "single-client p50 ≤ etcd's (etcd/AC ≥ 1)" "$(ratio "$(put etcd-1 p50Ms)" "$(put actorchain-1 p50Ms)")" 1; fi
  echo
  echo "Profile per run (CPU % of one core over the middle $(cpu_line "etcd-${clients[0]}" window_s) s of the run; 100 = one core busy):"
  echo
  echo "| run | system's 3 members CPU % | CPU ms per write | other system (idle) CPU % | load tool CPU % | machine busy / iowait % | load avg 1 min | blocks or Raft commits | entries per block | won / lost / timed out | nacks | fsync/s (perf) | mean fsync ms | JIT ms in the run |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  for c in "${clients[@]}"; do
    for system in etcd actorchain; do
      t="$system-$c" b="$raw_dir/$system-$c.metrics-before" a="$raw_dir/$system-$c.metrics-after"
      if [ "$system" = etcd ]; then mine=$(cpu_of "$t" etcd); other=$(cpu_of "$t" node); else mine=$(cpu_of "$t" node); other=$(cpu_of "$t" etcd); fi
      if [ "$system" = etcd ]; then
        blocks=$(awk -v x="$(metric_delta "$b" "$a" 'etcd_server_proposals_committed_total')" 'BEGIN{printf "%.0f", x/3}')
        per_block="—" outcomes="—" nacks="—" jit="—"
        # WAL fsyncs as etcd counts them (all three members), and their mean time.
        n=$(metric_delta "$b" "$a" 'etcd_disk_wal_fsync_duration_seconds_count') s=$(metric_delta "$b" "$a" 'etcd_disk_wal_fsync_duration_seconds_sum')
        win=$(cpu_line "$t" window_s)
        fs=$(awk -v n="$n" -v d="$(total "$t" elapsedSeconds)" 'BEGIN{printf "%.0f (WAL)", n/d}')
        [ "$c" -eq "$max_clients" ] && [ "$perf_stat_ok" -eq 1 ] && fs="$fs · $(fsyncs "$t" "${etcd_pids[*]}" "$win") (perf)"
        mean=$(awk -v n="$n" -v s="$s" 'BEGIN{ if (n>0) printf "%.2f", 1000*s/n; else print "—" }')
      else
        blocks=$(awk -v x="$(metric_delta "$b" "$a" 'actorchain_blocks_decided_total')" 'BEGIN{printf "%.0f", x/3}')
        entries=$(awk -v x="$(metric_delta "$b" "$a" 'actorchain_entries_decided_total')" 'BEGIN{printf "%.0f", x/3}')
        per_block=$(ratio "$entries" "$blocks")
        outcomes="$(fmt "$(metric_delta "$b" "$a" 'actorchain_proposals_total[{]outcome="won"[}]')" %.0f) / $(fmt "$(metric_delta "$b" "$a" 'actorchain_proposals_total[{]outcome="lost"[}]')" %.0f) / $(fmt "$(metric_delta "$b" "$a" 'actorchain_proposals_total[{]outcome="timed_out"[}]')" %.0f)"
        nacks=$(fmt "$(metric_delta "$b" "$a" 'actorchain_nacks_total[{].*[}]')" %.0f)
        fs="—" mean="—"
        jit=$(awk -v x="$(metric_delta "$b" "$a" 'actorchain_jit_compilation_seconds_total')" 'BEGIN{printf "%.0f", 1000*x}')
        [ "$c" -eq "$max_clients" ] && [ "$perf_stat_ok" -eq 1 ] && fs=$(fsyncs "$t" "${ac_pids[*]}" "$(cpu_line "$t" window_s)")
      fi
      per_write=$(awk -v c="$mine" -v w="$(total "$t" writesPerSecond)" 'BEGIN{ if (c == "—" || w+0 == 0) print "—"; else printf "%.2f", 10*c/w }')
      echo "| $system, $c clients | $mine | $per_write | $other | $(cpu_of "$t" load-tool) | $(cpu_line "$t" machine_busy_pct) / $(cpu_line "$t" machine_iowait_pct) | $(awk '$1=="loadavg_1m"{print $2 "→" $3}' "$raw_dir/$t.cpu") | $blocks | $per_block | $outcomes | $nacks | $fs | $mean | $jit |"
    done
  done
  echo
  echo "CPU ms per write is the three members' CPU divided by the writes/s (all members' work for one write)."
  echo "Blocks are decided blocks per node (ActorChain) or Raft proposals committed per member (etcd); won/lost/timed"
  echo "out and nacks are summed over the three ActorChain proposers. fsync/s (perf) counts fsync+fdatasync calls of"
  echo "the three members together during the largest run; etcd's WAL column is its own fsync counter, the mean its own timer."
  echo "JIT ms in the run is the time the three ActorChain nodes' JIT compiled during the run (their own counter)."
  for system in etcd actorchain; do
    if [ -s "$raw_dir/$system-$max_clients.top" ]; then
      echo
      echo "top during $system, $max_clients clients:"
      echo
      echo '```'
      sed -n '1,5p;7,22p' "$raw_dir/$system-$max_clients.top"
      echo '```'
    fi
  done
  if [ -f "$raw_dir/actorchain-$max_clients.perf.data" ]; then
    echo
    echo "perf record of node-1 during actorchain, $max_clients clients (self time, top 40):"
    echo
    echo '```'
    perf report -i "$raw_dir/actorchain-$max_clients.perf.data" --no-children -g none --percent-limit 0.3 --sort dso,symbol --stdio \
      >"$raw_dir/actorchain-$max_clients.perf.txt" 2>/dev/null || echo "(perf report failed)"
    # Kept beside perf.data so `perf report` can name JIT code later (copy it back to /tmp/perf-<pid>.map).
    cp "/tmp/perf-${ac_pids[1]}.map" "$raw_dir/perf-${ac_pids[1]}.map" 2>/dev/null || true
    echo "by shared object:"
    perf report -i "$raw_dir/actorchain-$max_clients.perf.data" --no-children -g none --sort dso --stdio 2>/dev/null |
      grep '%' | grep -v '^#' | sed -n '1,10p' | sed 's/ *$//' || true
    echo "by symbol:"
    grep '%' "$raw_dir/actorchain-$max_clients.perf.txt" | grep -v '^#' | sed -n '1,40p' | cut -c1-160 | sed 's/ *$//' 
    echo '```'
  fi
  echo
  echo "Commands of the measured runs (raw JSON reports in $raw_dir):"
  echo
  echo '```'
  sed 1d "$raw_dir/commands.txt"
  echo '```'
} >"$out"
cat "$out"
say "written to $out (raw reports in $raw_dir)"
