#!/usr/bin/env bash
# Runs every Cairn test and ends with one line: "N passed, N failed" (summed over every test run).
# Usage: ./test.sh [extra dotnet test arguments, e.g. --filter FullyQualifiedName~Paging]
set -uo pipefail
cd "$(dirname "$0")"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

if ! command -v dotnet >/dev/null 2>&1; then
  echo "test.sh: the .NET SDK (dotnet) is not on PATH; install .NET 10 (see README.md)." >&2
  echo "0 passed, 1 failed"
  exit 1
fi

results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT

echo "==> restoring and building (Release)"
if ! dotnet build Cairn.slnx -c Release -nologo -v quiet; then
  echo "test.sh: the build failed." >&2
  echo "0 passed, 1 failed"
  exit 1
fi

status=0
for project in test/*/; do
  name=$(basename "$project")
  csproj="$project$name.csproj"
  [ -f "$csproj" ] || continue
  # A project with no test runner (the shared conformance suite) is run through its subclasses.
  grep -q "Microsoft.NET.Test.Sdk" "$csproj" || continue
  echo "==> $name"
  if ! dotnet test "$csproj" -c Release --no-build -nologo \
      --logger "trx;LogFileName=$name.trx" --results-directory "$results" "$@"; then
    status=1
  fi
done

passed=0
failed=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*' "$trx" | head -1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0}))
done

if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  # A test host that crashed reports no failures of its own: count it as one.
  failed=1
fi

echo "$passed passed, $failed failed"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
