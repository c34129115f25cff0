// Liveness and readiness: is the database reachable, and are all migrations applied?
import { publicRoute } from "@/lib/auth/api";
import { pool } from "@/lib/db/client";
import { migrationStatus } from "@/lib/db/migrate";

export const dynamic = "force-dynamic";

export const GET = publicRoute(async () => {
  try {
    const t0 = performance.now();
    const version = await pool().query<{ v: string }>("SELECT current_setting('server_version') AS v");
    const latencyMs = Math.round((performance.now() - t0) * 10) / 10;
    const m = await migrationStatus(pool());
    const ok = m.pending.length === 0 && m.drifted.length === 0;
    return Response.json(
      {
        status: ok ? "ok" : "degraded",
        database: { reachable: true, serverVersion: version.rows[0]?.v ?? null, latencyMs },
        migrations: { applied: m.applied.length, pending: m.pending, changedAfterApplying: m.drifted },
      },
      { status: ok ? 200 : 503, headers: { "Cache-Control": "no-store" } },
    );
  } catch (err) {
    return Response.json(
      { status: "down", database: { reachable: false, error: (err as Error).message } },
      { status: 503, headers: { "Cache-Control": "no-store" } },
    );
  }
});
