// Seeds the demo organisation into an empty database. Refuses to touch a database that has users.
import type pg from "pg";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { Db } from "@/lib/db/client";
import { seedDemoReleases } from "@/lib/demo/generate-releases";
import { DEMO_GPU_POOL, DEMO_WEEKS, generateDemoEvents, isoWeekStart } from "@/lib/demo/generate-events";
import { ingestEvents } from "@/lib/ingest/store-events";
import { detectIncidents } from "@/lib/incidents/detect";
import { seedDemoQuality } from "@/lib/demo/generate-quality";
import { invalidatePrices } from "@/lib/pricing/load-prices";
import { recomputeGpuPool } from "@/lib/pricing/recompute-gpu";
import { hashPassword } from "@/lib/auth/password";
import { recordAudit } from "@/lib/audit/record-audit";
import { DEMO_PASSWORD, generateDemoOrg, type DemoUser } from "@/lib/demo/generate-org";
import { withTransaction } from "@/lib/db/transaction";

export type SeedResult = { seeded: boolean; users: DemoUser[]; password: string };

export async function isEmpty(prisma: PrismaClient): Promise<boolean> {
  return (await prisma.user.count()) === 0;
}

/** The demo's cost events (twelve weeks up to now) and its GPU pool; returns how many events were stored. */
export async function seedDemoEvents(db: pg.Pool, now = new Date()): Promise<number> {
  const weeksAgo = new Date(isoWeekStart(now).getTime() - DEMO_WEEKS * 7 * 24 * 3_600_000);
  await db.query(
    `INSERT INTO gpu_pools (name, hourly_usd, effective_from) SELECT $1, $2::numeric, $3
     WHERE NOT EXISTS (SELECT 1 FROM gpu_pools WHERE name = $1)`,
    [DEMO_GPU_POOL.name, DEMO_GPU_POOL.hourlyUsd, weeksAgo],
  );
  invalidatePrices();
  const events = generateDemoEvents(now);
  let stored = 0;
  for (let i = 0; i < events.length; i += 2000) {
    const r = await ingestEvents(events.slice(i, i + 2000), { db, skipGpuRecompute: true });
    if (r.rejected.length) throw new Error(`demo event rejected: ${JSON.stringify(r.rejected[0])}`);
    stored += r.accepted;
  }
  await recomputeGpuPool(db, DEMO_GPU_POOL.name);
  await seedDemoReleases(db, now);
  await seedDemoQuality(db, now);
  return stored;
}

/**
 * Runs cost-incident detection over the demo's twelve weeks once the rollups hold them (detection on its
 * schedule only looks at the last two days), so the week-9 triage spike is an open incident.
 */
export async function detectDemoIncidents(db: pg.Pool, now = new Date()): Promise<number> {
  const from = new Date(isoWeekStart(now).getTime() - DEMO_WEEKS * 7 * 24 * 3_600_000);
  const r = await detectIncidents(db, { from, to: new Date(Math.floor(now.getTime() / 3_600_000) * 3_600_000) });
  return r.opened.length;
}

export async function seedDemo(): Promise<SeedResult> {
  const org = generateDemoOrg();
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const seeded = await withTransaction(async (tx) => {
    if ((await tx.prisma.user.count()) > 0) return false;
    const userIds = new Map<string, string>();
    for (const u of org.users) {
      const row = await tx.prisma.user.create({ data: { ...u, passwordHash } });
      userIds.set(u.email, row.id);
    }
    const teamIds = new Map<string, string>();
    for (const t of org.teams) teamIds.set(t.slug, (await tx.prisma.team.create({ data: t })).id);
    const featureIds = new Map<string, string>();
    for (const f of org.features) {
      const row = await tx.prisma.feature.create({
        data: { slug: f.slug, name: f.name, teamId: teamIds.get(f.team)!, ownerId: userIds.get(f.owner) ?? null },
      });
      featureIds.set(f.slug, row.id);
    }
    for (const e of org.endpoints) {
      await tx.prisma.endpoint.create({
        data: { slug: e.slug, name: e.name, description: e.description, featureId: featureIds.get(e.feature)! },
      });
    }
    for (const c of org.cohorts) await tx.prisma.cohort.create({ data: { slug: c.slug, name: c.name, kind: c.kind, tier: c.tier ?? null } });
    await recordAudit(tx, { label: "seed" }, {
      action: "demo.seed",
      entityType: "organisation",
      after: { users: org.users.length, teams: org.teams.length, endpoints: org.endpoints.length, cohorts: org.cohorts.length },
    });
    return true;
  });
  return { seeded, users: org.users, password: DEMO_PASSWORD };
}

/** Whether this database holds the demo organisation (the sign-in page then shows the demo logins). */
export async function demoSeeded(db: Db): Promise<boolean> {
  const { rows } = await db.query<{ seeded: boolean }>("SELECT EXISTS (SELECT 1 FROM audit_log WHERE action = 'demo.seed') AS seeded");
  return rows[0]!.seeded;
}
