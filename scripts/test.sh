#!/usr/bin/env bash
# The whole test suite: typecheck, lint, unit tests, a production build, integration tests against a
# real database (TEST_DATABASE_URL's PostgreSQL server, else the embedded one) over real HTTP, and
# end-to-end tests in Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
start=$(date +%s)

step "typecheck"; npx tsc --noEmit
step "lint"; npx eslint --max-warnings 0 .
step "schema drift (prisma/schema.prisma against the migrations)"; npm run --silent db:check
step "unit tests"; npx vitest run --config vitest.config.ts
step "build"
# A build warning fails the suite, so a new one is seen (Turbopack's "tracing the whole project" was one).
build_log=$(mktemp); trap 'rm -f "$build_log"' EXIT
npx next build 2>&1 | tee "$build_log"
# ("No build cache found" is a fresh checkout's notice, not a warning about the code.)
warnings=$(grep -E "build encountered [0-9]+ warning|⚠" "$build_log" | grep -v "No build cache found" || true)
if [ -n "$warnings" ]; then printf 'The build printed warnings; fix them:\n%s\n' "$warnings" >&2; exit 1; fi
if [ -n "${TEST_DATABASE_URL:-}" ]; then db="PostgreSQL server (TEST_DATABASE_URL)"; else db="embedded PGlite"; fi
step "integration tests on the $db"; npx vitest run --config vitest.integration.config.ts
step "end-to-end tests in Chromium on the $db"; npx playwright test

printf '\nAll test stages passed in %ss.\n' "$(( $(date +%s) - start ))"
