#!/usr/bin/env bash
# The integration suite on a three-node Citus cluster (a coordinator and two workers on this machine),
# then the cluster tests (tests/citus: a third worker added and the shards rebalanced under ingest, a
# worker SIGKILLed mid-ingest). The cluster comes from ../shared/citus (Citus 13.2 built for this machine's
# PostgreSQL 15; CITUS_SHARED overrides where it is). Run as root: cluster.sh runs PostgreSQL as the
# postgres user. Needs a production build (npx next build) for the app the integration suite starts.
set -euo pipefail
cd "$(dirname "$0")/.."
# ../shared beside the project; for a clone made elsewhere (git clone /work/main /tmp/x), beside the
# repository it was cloned from.
shared=${CITUS_SHARED:-}
if [ -z "$shared" ]; then
  shared="$(cd .. && pwd)/shared/citus"
  origin=$(git remote get-url origin 2>/dev/null || true)
  if [ ! -x "$shared/cluster.sh" ] && [ -n "$origin" ] && [ -d "$origin" ]; then shared="$(cd "$origin/.." && pwd)/shared/citus"; fi
fi
[ -x "$shared/cluster.sh" ] || { echo "No Citus cluster script at $shared/cluster.sh (set CITUS_SHARED)" >&2; exit 1; }
export CITUS_CLUSTER="$shared/cluster.sh" CITUS_DIR=${CITUS_DIR:-/tmp/citus-cluster} CITUS_PORT=${CITUS_PORT:-56432}

url=$(bash "$CITUS_CLUSTER" start | sed -n 's/^CITUS_URL=//p')
# Citus runs a maintenance process per database on every node; the suite makes a database per test file
# (and the rebalancer runs background tasks), more than PostgreSQL's default of 8 worker processes allows.
restart=0
for node in coordinator worker1 worker2; do
  conf="$CITUS_DIR/$node/postgresql.conf"
  if ! grep -q "^max_worker_processes = 64" "$conf"; then echo "max_worker_processes = 64" >>"$conf"; restart=1; fi
done
if [ "$restart" = 1 ]; then bash "$CITUS_CLUSTER" stop; url=$(bash "$CITUS_CLUSTER" start | sed -n 's/^CITUS_URL=//p'); fi
echo "Citus coordinator: $url"
psql "$url" -Atc "SELECT 'workers: ' || string_agg(nodename || ':' || nodeport, ', ') FROM pg_dist_node WHERE groupid <> 0"

TEST_DATABASE_URL="$url" npx vitest run --config vitest.integration.config.ts
TEST_DATABASE_URL="$url" npx vitest run --config vitest.citus.config.ts
