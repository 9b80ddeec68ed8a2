#!/usr/bin/env bash
# Builds ActorChain if needed and starts a local cluster of node processes on 127.0.0.1.
#   ./run.sh [--nodes N] [--http-port BASE] [--remote-port BASE] [--data DIR] [--azure] [--signed]
# Node i (1-based) listens for HTTP on BASE+i-1 and for peers on REMOTE+i-1, keeps its data
# in DIR/node-i, and the first two nodes are the seeds. --signed turns on signed blocks (each
# node's key in DIR/node-i/signing-key.pem). Ctrl-C stops every node.
set -euo pipefail
cd "$(dirname "$0")"

usage() { sed -n '2,6s/^# \{0,1\}//p' "$0"; }
fail() { echo "run.sh: $*" >&2; exit 2; }

nodes=3 http_base=8081 remote_base=4053 data_dir=./data azure=0 signed=0
while [ $# -gt 0 ]; do
  case "$1" in
    --nodes) [ $# -ge 2 ] || fail "--nodes needs a number"; nodes=$2; shift 2 ;;
    --http-port) [ $# -ge 2 ] || fail "--http-port needs a port"; http_base=$2; shift 2 ;;
    --remote-port) [ $# -ge 2 ] || fail "--remote-port needs a port"; remote_base=$2; shift 2 ;;
    --data) [ $# -ge 2 ] || fail "--data needs a directory"; data_dir=$2; shift 2 ;;
    --azure) azure=1; shift ;;
    --signed) signed=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; fail "unknown option '$1'" ;;
  esac
done

is_int() { [[ "$1" =~ ^[0-9]+$ ]]; }
is_int "$nodes" && [ "$nodes" -ge 1 ] && [ "$nodes" -le 15 ] || fail "--nodes must be 1 to 15, not '$nodes'"
for port in "$http_base" "$remote_base"; do
  is_int "$port" && [ "$port" -ge 1024 ] && [ $((port + nodes - 1)) -le 65535 ] ||
    fail "port base '$port' must be 1024..65535 with room for $nodes nodes"
done
command -v dotnet >/dev/null 2>&1 || fail "the .NET SDK is missing: install the .NET 10 SDK and run ./run.sh again."

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
node_project=src/ActorChain.Node/ActorChain.Node.csproj
if [ ! -f "$node_project" ]; then
  echo "==> building what exists (the node executable, ActorChain.Node, is not written yet)"
  dotnet build ActorChain.sln -c Release -nologo -v quiet -clp:NoSummary
  echo "run.sh: built the libraries; there is no node executable to start yet, so no cluster was started."
  exit 0
fi

echo "==> building the node"
dotnet build "$node_project" -c Release -nologo -v quiet -clp:NoSummary
node_dll=src/ActorChain.Node/bin/Release/net10.0/ActorChain.Node.dll

# --azure: an Azurite (the Azure Storage emulator, tools/azurite) on 127.0.0.1 ports 10000-10002 keeps its
# data in DIR/azurite; every node gets its connection string, so snapshots, the block archive and uploaded
# files go to its blob container (DESIGN section 7). It stops after the nodes.
azurite_pid=""
if [ "$azure" -eq 1 ]; then
  azurite_bin=tools/azurite/node_modules/.bin/azurite
  if [ ! -x "$azurite_bin" ]; then
    command -v npm >/dev/null 2>&1 || fail "--azure needs Azurite: install Node.js with npm, then run ./run.sh --azure again."
    echo "==> installing Azurite into tools/azurite (npm ci)"
    npm ci --prefix tools/azurite --no-audit --no-fund --loglevel=error || fail "'npm ci --prefix tools/azurite' failed."
  fi
  for port in 10000 10001 10002; do
    if (exec 3<>"/dev/tcp/127.0.0.1/${port}") 2>/dev/null; then
      fail "port ${port} is in use (another Azurite?); --azure starts its own on 10000-10002."
    fi
  done
  mkdir -p "${data_dir}/azurite"
  "$azurite_bin" --silent --skipApiVersionCheck --loose --location "${data_dir}/azurite" \
    --blobHost 127.0.0.1 --blobPort 10000 --queueHost 127.0.0.1 --queuePort 10001 --tableHost 127.0.0.1 --tablePort 10002 \
    >"${data_dir}/azurite/azurite.log" 2>&1 &
  azurite_pid=$!
  up=0
  for _ in $(seq 1 120); do
    if (exec 3<>/dev/tcp/127.0.0.1/10000) 2>/dev/null && (exec 3<>/dev/tcp/127.0.0.1/10002) 2>/dev/null; then up=1; break; fi
    kill -0 "$azurite_pid" 2>/dev/null || break
    sleep 0.5
  done
  if [ "$up" -ne 1 ]; then
    kill -TERM "$azurite_pid" 2>/dev/null || true
    fail "Azurite did not start; see ${data_dir}/azurite/azurite.log"
  fi
  account_key="Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
  export ACTORCHAIN__PERSISTENCE__AZURE__CONNECTIONSTRING="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=${account_key};BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;TableEndpoint=http://127.0.0.1:10002/devstoreaccount1;"
  echo "azurite: blob http://127.0.0.1:10000, table http://127.0.0.1:10002 (data ${data_dir}/azurite, log ${data_dir}/azurite/azurite.log)"
fi

seeds="127.0.0.1:${remote_base}"
[ "$nodes" -ge 2 ] && seeds="${seeds},127.0.0.1:$((remote_base + 1))"

# Every node must compute the same genesis block: all get the same voters, node-1..node-N.
for i in $(seq 1 "$nodes"); do export "ACTORCHAIN__CHAIN__INITIALVOTERS__$((i - 1))=node-${i}"; done

# --signed: every voter signs the blocks it proposes; genesis lists every voter's public key, so
# each node's key is made (or reused) before any node starts. A cluster is signed or not for life.
if [ "$signed" -eq 1 ]; then
  export ACTORCHAIN__CHAIN__SIGNEDBLOCKS=on
  for i in $(seq 1 "$nodes"); do
    mkdir -p "$data_dir/node-${i}"
    key=$(dotnet "$node_dll" --generate-key "$data_dir/node-${i}/signing-key.pem") ||
      fail "could not make the signing key of node-${i} in $data_dir/node-${i}"
    export "ACTORCHAIN__CHAIN__VOTERKEYS__$((i - 1))=node-${i}=${key}"
  done
fi

pids=()
stop_all() {
  trap - INT TERM EXIT
  echo
  echo "==> stopping ${#pids[@]} nodes"
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ -n "$azurite_pid" ]; then
    echo "==> stopping Azurite"
    kill -TERM "$azurite_pid" 2>/dev/null || true
    # Azurite closes its services on TERM but its process can linger; it holds nothing unsaved by then.
    for _ in $(seq 1 20); do kill -0 "$azurite_pid" 2>/dev/null || break; sleep 0.25; done
    kill -KILL "$azurite_pid" 2>/dev/null || true
  fi
  wait 2>/dev/null || true
}
trap stop_all INT TERM EXIT

for i in $(seq 1 "$nodes"); do
  node_data="${data_dir}/node-${i}"
  mkdir -p "$node_data"
  dotnet "$node_dll" --config hocon/local-cluster.conf --node-id "node-${i}" --hostname 127.0.0.1 \
    --port $((remote_base + i - 1)) --http-port $((http_base + i - 1)) --seeds "$seeds" --data "$node_data" \
    >"${node_data}/node.log" 2>&1 &
  pids+=("$!")
  echo "node-${i}: http://127.0.0.1:$((http_base + i - 1))/  (peers on 127.0.0.1:$((remote_base + i - 1)), log ${node_data}/node.log)"
done
# Say "ready" only once every node has joined and caught up, so a first curl finds a cluster.
if command -v curl >/dev/null 2>&1; then
  echo "==> waiting for ${nodes} nodes to be ready"
  for i in $(seq 1 "$nodes"); do
    ready=0
    for _ in $(seq 1 120); do
      if curl -sf -o /dev/null "http://127.0.0.1:$((http_base + i - 1))/health/ready"; then ready=1; break; fi
      if ! kill -0 "${pids[$((i - 1))]}" 2>/dev/null; then break; fi
      sleep 0.5
    done
    [ "$ready" -eq 1 ] || echo "run.sh: node-${i} is not ready; see ${data_dir}/node-${i}/node.log" >&2
  done
fi
echo "==> ${nodes} nodes started; Ctrl-C stops them"
wait
