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

# ---- Node.js: the interop test drives the server from @grpc/grpc-js (test/interop-node) --------------
if ! command -v node >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  echo "==> installing Node.js (Debian packages 'nodejs' and 'npm')"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null 2>&1 || true
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null 2>&1 || true
fi
if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then
  npm ci --prefix test/interop-node --no-audit --no-fund --loglevel=error >/dev/null \
    || echo "test.sh: 'npm ci --prefix test/interop-node' failed; the Node.js interop test will fail." >&2
else
  echo "test.sh: Node.js is not installed; the Node.js interop test will fail (apt-get install nodejs npm)." >&2
fi

results=$(mktemp -d)
pg_dir=""
cleanup() {
  if [ -n "$pg_dir" ] && [ -f "$pg_dir/data/postmaster.pid" ]; then
    "${pg_as[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate stop >/dev/null 2>&1 || true
  fi
  rm -rf "$results" ${pg_dir:+"$pg_dir"}
}
trap cleanup EXIT

# ---- PostgreSQL: a throwaway server on loopback for the PostgreSQL conformance run ------------------
find_pg_bin() {
  local d
  for d in /usr/lib/postgresql/*/bin; do
    [ -x "$d/initdb" ] && { echo "$d"; return; }
  done
  command -v initdb >/dev/null 2>&1 && dirname "$(readlink -f "$(command -v initdb)")"
}

free_port() {
  local port
  for _ in $(seq 1 50); do
    port=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
  done
  echo 54329
}

start_postgres() {
  pg_bin=$(find_pg_bin)
  if [ -z "$pg_bin" ] && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    echo "==> installing PostgreSQL (Debian package 'postgresql')"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null 2>&1 || true
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null 2>&1 || true
    pg_bin=$(find_pg_bin)
  fi
  if [ -z "$pg_bin" ]; then
    echo "test.sh: PostgreSQL is not installed and could not be installed; the PostgreSQL tests will fail." >&2
    echo "         Install it (apt-get install postgresql) or set CAIRN_TEST_POSTGRES=postgres://user@host:port/postgres." >&2
    return
  fi
  pg_dir=$(mktemp -d /tmp/cairn-pg.XXXXXX)
  chmod 755 "$pg_dir"
  pg_as=()
  if [ "$(id -u)" = 0 ]; then
    # PostgreSQL refuses to run as root: run it as the postgres user the package creates.
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
    chown postgres "$pg_dir"
    pg_as=(runuser -u postgres --)
  fi
  local port
  port=$(free_port)
  "${pg_as[@]}" "$pg_bin/initdb" -D "$pg_dir/data" -U cairn --auth=trust -E UTF8 >"$pg_dir/initdb.log" 2>&1 || {
    cat "$pg_dir/initdb.log" >&2; return; }
  "${pg_as[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w -t 60 \
    -o "-p $port -k $pg_dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
    start >/dev/null || { cat "$pg_dir/server.log" >&2; return; }
  export CAIRN_TEST_POSTGRES="postgres://cairn@127.0.0.1:$port/postgres"
  echo "==> PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"
}
pg_as=()
pg_bin=""
if [ -z "${CAIRN_TEST_POSTGRES:-}" ]; then start_postgres; fi

# ---- S3: an S3-compatible server (s3rver from npm, test/s3-server) on loopback for the files tests ----
s3_pid=""
s3_dir=""
stop_s3() {
  if [ -n "$s3_pid" ]; then kill "$s3_pid" 2>/dev/null; wait "$s3_pid" 2>/dev/null; fi
  if [ -n "$s3_dir" ]; then rm -rf "$s3_dir"; fi
}
trap 'cleanup; stop_s3' EXIT
start_s3() {
  if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    echo "test.sh: Node.js is not installed; the S3 tests will fail (apt-get install nodejs npm)." >&2
    return
  fi
  npm ci --prefix test/s3-server --no-audit --no-fund --loglevel=error >/dev/null || {
    echo "test.sh: 'npm ci --prefix test/s3-server' failed; the S3 tests will fail." >&2; return; }
  s3_dir=$(mktemp -d /tmp/cairn-s3.XXXXXX)
  node test/s3-server/server.js "$s3_dir/data" 0 >"$s3_dir/server.log" 2>&1 &
  s3_pid=$!
  for _ in $(seq 1 150); do
    if grep -q '^listening ' "$s3_dir/server.log"; then
      CAIRN_TEST_S3=$(sed -n 's/^listening //p' "$s3_dir/server.log")
      export CAIRN_TEST_S3
      echo "==> S3 (s3rver) on ${CAIRN_TEST_S3#http://}"
      return
    fi
    kill -0 "$s3_pid" 2>/dev/null || break
    sleep 0.1
  done
  cat "$s3_dir/server.log" >&2
  echo "test.sh: the S3 server did not start; the S3 tests will fail." >&2
}
if [ -z "${CAIRN_TEST_S3:-}" ]; then start_s3; fi

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

# The benchmarks are measured, never asserted; this only proves that every workload still runs (tiny sizes).
# W12 drives the server with h2load, a native load generator (Debian package nghttp2-client).
if ! command -v h2load >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  echo "==> installing h2load (nghttp2-client) for the W12 benchmark"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null 2>&1 || true
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nghttp2-client >/dev/null 2>&1 || true
fi
echo "==> benchmarks smoke run (--quick)"
if dotnet run -c Release --no-build --project bench/Cairn.Benchmarks -- --quick --out "$results/bench.json" >"$results/bench.log" 2>&1; then
  echo "Passed!  - benchmarks ran at --quick size"
  passed=$((passed + 1))
else
  tail -30 "$results/bench.log" >&2
  echo "Failed!  - the benchmarks did not run" >&2
  failed=$((failed + 1))
  status=1
fi

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
