#!/usr/bin/env bash
# Installs what the tests need (Azurite, Chromium), builds with zero warnings allowed, and runs every test.
#   ./test.sh                 the whole suite
#   ./test.sh --filter EXPR   only the tests dotnet test's filter selects (passed through)
#   ./test.sh --chaos         the long runs as well: the chaos soak for minutes, fuzzing with 20,000 cases per codec (about 1.3 million in all)
# The last line is the total, "N passed, N failed, N skipped", summed over every test project.
set -euo pipefail
cd "$(dirname "$0")"

fail() { echo "test.sh: $*" >&2; exit 1; }

# --- prerequisites -----------------------------------------------------------------------
command -v dotnet >/dev/null 2>&1 ||
  fail "the .NET SDK is missing: install the .NET 10 SDK (https://dot.net) and run ./test.sh again."
sdk_wanted=$(sed -n 's/.*"version": *"\([0-9]*\.[0-9]*\)\..*/\1/p' global.json)
dotnet --list-sdks | grep -q "^${sdk_wanted}\." ||
  fail "the .NET ${sdk_wanted} SDK is missing (global.json pins it); found: $(dotnet --list-sdks | tr '\n' ' ')"

# --chaos is ours; every other argument goes to dotnet test.
args=()
for arg in "$@"; do
  if [ "$arg" = "--chaos" ]; then
    export ACTORCHAIN_CHAOS=long ACTORCHAIN_FUZZ_CASES="${ACTORCHAIN_FUZZ_CASES:-20000}"
  else
    args+=("$arg")
  fi
done

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# Azurite, the Azure Storage emulator the Azure persistence tests start, pinned by tools/azurite/package-lock.json;
# installed once, and again when the lock file changes.
azurite=tools/azurite
if [ ! -x "$azurite/node_modules/.bin/azurite" ] ||
   [ "$azurite/package-lock.json" -nt "$azurite/node_modules/.package-lock.json" ]; then
  command -v npm >/dev/null 2>&1 ||
    fail "npm is missing: install Node.js with npm (e.g. apt-get install nodejs npm) so ./test.sh can install Azurite into $azurite."
  echo "==> installing Azurite into $azurite (npm ci)"
  npm ci --prefix "$azurite" --no-audit --no-fund --loglevel=error ||
    fail "'npm ci --prefix $azurite' failed (see above); the Azure persistence tests need Azurite."
fi

# Debian's Chromium, which the browser tests drive through Playwright (they never download a browser).
if [ ! -x /usr/bin/chromium ]; then
  command -v apt-get >/dev/null 2>&1 ||
    fail "/usr/bin/chromium is missing and apt-get is not here: install Debian's 'chromium' package; the browser tests need it."
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "==> installing chromium (apt-get)"
  { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null; } ||
    fail "'apt-get install chromium' failed (see above); the browser tests need /usr/bin/chromium."
fi

# PyYAML, with which deploy/run-compose-locally.sh reads the compose file (the deploy tests run it).
if ! python3 -c 'import yaml' >/dev/null 2>&1 && ! /usr/bin/python3 -c 'import yaml' >/dev/null 2>&1; then
  command -v apt-get >/dev/null 2>&1 ||
    fail "python3 with PyYAML is missing and apt-get is not here: install python3 and PyYAML; the deploy tests need it."
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "==> installing python3-yaml (apt-get)"
  { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq python3-yaml >/dev/null; } ||
    fail "'apt-get install python3-yaml' failed (see above); the deploy tests need it."
fi

# --- build ---------------------------------------------------------------------------------
echo "==> restoring and building (Release, warnings are errors)"
dotnet build ActorChain.sln -c Release -warnaserror -nologo -v quiet -clp:NoSummary ||
  fail "the build failed (see the errors above)."

# --- test ----------------------------------------------------------------------------------
results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT
echo "==> running the tests"
set +e
dotnet test ActorChain.sln -c Release --no-build -nologo ${args[@]+"${args[@]}"} 2>&1 | tee "$results/log"
status=${PIPESTATUS[0]}
set -e

# dotnet test prints one "Passed!/Failed!  - Failed: F, Passed: P, Skipped: S, Total: T" line per project.
summary=$(grep -E '(Passed|Failed)! +- +Failed: +[0-9]+, Passed: +[0-9]+, Skipped: +[0-9]+' "$results/log" |
  sed -E 's/.*Failed: +([0-9]+), Passed: +([0-9]+), Skipped: +([0-9]+).*/\1 \2 \3/' |
  awk '{f+=$1; p+=$2; s+=$3; n++} END {printf "%d %d %d %d", p, f, s, n}')
read -r passed failed skipped projects <<<"$summary"
echo
echo "test.sh: ${projects} test projects"
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ]; then
  exit 1
fi
[ "$passed" -gt 0 ] || fail "no test ran."
