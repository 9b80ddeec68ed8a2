#!/usr/bin/env bash
# Runs the docker-compose.yml topology (Azurite + 3 nodes) as plain processes, without Docker.
#   deploy/run-compose-locally.sh [--port-offset N] [--data DIR] [--configuration C] [--no-build]
# Each service gets the compose file's environment and command (compose_local.py translates
# service names, volumes and ports for 127.0.0.1); ports are the published ones plus N.
# Azurite comes from tools/azurite (npm ci --prefix tools/azurite). Ctrl-C or TERM stops all.
set -euo pipefail
deploy_dir=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$deploy_dir")

usage() { sed -n '2,6s/^# \{0,1\}//p' "$0"; }
fail() { echo "run-compose-locally.sh: $*" >&2; exit 2; }

offset=0 data="$repo/data/compose-local" configuration=Release build=1
while [ $# -gt 0 ]; do
  case "$1" in
    --port-offset) [ $# -ge 2 ] || fail "--port-offset needs a number"; offset=$2; shift 2 ;;
    --data) [ $# -ge 2 ] || fail "--data needs a directory"; data=$2; shift 2 ;;
    --configuration) [ $# -ge 2 ] || fail "--configuration needs Debug or Release"; configuration=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; fail "unknown option '$1'" ;;
  esac
done
[[ "$offset" =~ ^[0-9]+$ ]] || fail "--port-offset must be a number, not '$offset'"
for tool in dotnet curl; do
  command -v "$tool" >/dev/null 2>&1 || fail "$tool is missing; it is needed to run the nodes, probe them and read the compose file."
done
# The compose file is read with PyYAML: the first python3 that has it (pyenv's, then Debian's python3-yaml).
python=""
for candidate in python3 /usr/bin/python3; do
  if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import yaml' >/dev/null 2>&1; then
    python=$candidate
    break
  fi
done
[ -n "$python" ] || fail "no python3 with PyYAML found; install Debian's python3-yaml (apt-get install python3-yaml)."
azurite="$repo/tools/azurite/node_modules/.bin/azurite"
[ -x "$azurite" ] || fail "Azurite is not installed: run 'npm ci --prefix tools/azurite' in $repo first."

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
node_dir="$repo/src/ActorChain.Node/bin/$configuration/net10.0"
if [ "$build" -eq 1 ]; then
  echo "==> building the node ($configuration)"
  dotnet build "$repo/src/ActorChain.Node/ActorChain.Node.csproj" -c "$configuration" -nologo -v quiet -clp:NoSummary
fi
[ -f "$node_dir/ActorChain.Node.dll" ] || fail "$node_dir/ActorChain.Node.dll is missing; build the node or drop --no-build."

mkdir -p "$data"
data=$(cd "$data" && pwd)
plan=$("$python" "$deploy_dir/compose_local.py" --compose "$deploy_dir/docker-compose.yml" --dockerfile "$deploy_dir/Dockerfile" \
  --node-dir "$node_dir" --azurite "$azurite" --data "$data" --port-offset "$offset") || fail "could not read the compose file (see above)."
eval "$plan"

# Like a container, a process gets only the compose file's variables, not stray ones from this shell.
while read -r variable; do unset "$variable"; done < <(compgen -e | grep '^ACTORCHAIN' || true)

pids=()
stop_all() {
  trap - INT TERM EXIT
  echo
  echo "==> stopping ${#pids[@]} processes"
  # Nodes first (each leaves the cluster on TERM), Azurite last, since nodes may still write to it.
  for i in "${!pids[@]}"; do [ "${kinds[$i]}" = azurite ] || kill -TERM "${pids[$i]}" 2>/dev/null || true; done
  for i in "${!pids[@]}"; do [ "${kinds[$i]}" = azurite ] || wait "${pids[$i]}" 2>/dev/null || true; done
  for i in "${!pids[@]}"; do [ "${kinds[$i]}" = azurite ] && kill -TERM "${pids[$i]}" 2>/dev/null || true; done
  # Azurite sometimes lingers after TERM with connections open; give it 5 s, then KILL, so a stop never hangs.
  for _ in $(seq 1 50); do
    alive=0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ "$alive" -eq 0 ] && break
    sleep 0.1
  done
  for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  echo "==> stopped"
}
trap 'stop_all; exit 0' INT TERM
trap stop_all EXIT

await_url() { # name pid url
  local _
  for _ in $(seq 1 240); do
    curl -s -f -o /dev/null --max-time 3 "$3" && return 0
    kill -0 "$2" 2>/dev/null || { echo "run-compose-locally.sh: $1 exited; see $data/$1.log" >&2; return 1; }
    sleep 0.25
  done
  echo "run-compose-locally.sh: $1 did not answer $3 within a minute; see $data/$1.log" >&2
  return 1
}

# Azurite first (compose's depends_on), and only once it answers, so no node starts without its storage.
for i in "${!names[@]}"; do
  [ "${kinds[$i]}" = azurite ] || continue
  eval "exec ${commands[$i]}" >"$data/${names[$i]}.log" 2>&1 &
  pids[$i]=$!
  # Any HTTP answer from the blob port means Azurite listens; -f is not wanted here.
  for _ in $(seq 1 120); do curl -s -o /dev/null --max-time 3 "${ready_urls[$i]}" && break; sleep 0.25; done
  echo "${names[$i]}: ${urls[$i]}  (log $data/${names[$i]}.log)"
done
for i in "${!names[@]}"; do
  [ "${kinds[$i]}" = node ] || continue
  eval "exec ${commands[$i]}" >"$data/${names[$i]}.log" 2>&1 &
  pids[$i]=$!
done

echo "==> waiting for the nodes to be ready"
for i in "${!names[@]}"; do
  [ "${kinds[$i]}" = node ] || continue
  await_url "${names[$i]}" "${pids[$i]}" "${ready_urls[$i]}" || exit 1
  echo "${names[$i]}: ${urls[$i]}  (log $data/${names[$i]}.log)"
done
echo "==> ready: ${#names[@]} services; Ctrl-C stops them"
# wait returns when a signal arrives; its trap stops everything.
wait
