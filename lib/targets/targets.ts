// Cost targets per endpoint and cohort (NULL = all cohorts): target and ceiling cost per request,
// revenue per request (for the gross margin) and the p95 latency budget. Admins manage every endpoint's
// targets; a feature's owner manages those of the feature's endpoints.
import { Decimal } from "decimal.js";
import type { z } from "zod";
import type { Db } from "@/lib/db/client";
import { recordAudit } from "@/lib/audit/record-audit";
import { actorOf, type Principal } from "@/lib/auth/principal";
import { isAdmin, mayManageTargets } from "@/lib/auth/policies";
import { forbidden, notFound } from "@/lib/errors";
import { withTransaction } from "@/lib/db/transaction";
import type { putTargetsSchema } from "@/lib/targets/schemas";

export type TargetRow = {
  endpoint: string;
  cohort: string | null;
  targetCost: string | null;
  ceilingCost: string | null;
  revenuePerRequest: string | null;
  latencyBudgetMs: number | null;
};

export type EndpointTargets = { endpoint: string; primaryMetric: string | null; targets: TargetRow[] };

const str = (v: unknown) => (v === null || v === undefined ? null : new Decimal(String(v)).toFixed());

/** Every endpoint's targets (or one endpoint's), keyed by slug. */
export async function listTargets(db: Db, endpoint?: string): Promise<EndpointTargets[]> {
  const { rows } = await db.query<{ slug: string; cohort: string | null; target_cost: string | null; ceiling_cost: string | null; revenue_per_request: string | null; latency_budget_ms: number | null; primary_metric: string | null }>(
    `SELECT e.slug, t.cohort, t.target_cost::text, t.ceiling_cost::text, t.revenue_per_request::text, t.latency_budget_ms, p.metric AS primary_metric
     FROM endpoints e LEFT JOIN cost_targets t ON t.endpoint_id = e.id LEFT JOIN quality_primary_metrics p ON p.endpoint_id = e.id
     WHERE ($1::text IS NULL OR e.slug = $1) AND (t.id IS NOT NULL OR p.metric IS NOT NULL)
     ORDER BY e.slug, t.cohort NULLS FIRST`,
    [endpoint ?? null],
  );
  const by = new Map<string, EndpointTargets>();
  for (const r of rows) {
    const e = by.get(r.slug) ?? { endpoint: r.slug, primaryMetric: r.primary_metric, targets: [] };
    by.set(r.slug, e);
    if (r.target_cost !== null || r.ceiling_cost !== null || r.revenue_per_request !== null || r.latency_budget_ms !== null) {
      e.targets.push({
        endpoint: r.slug,
        cohort: r.cohort,
        targetCost: str(r.target_cost),
        ceilingCost: str(r.ceiling_cost),
        revenuePerRequest: str(r.revenue_per_request),
        latencyBudgetMs: r.latency_budget_ms,
      });
    }
  }
  return [...by.values()];
}

/** The targets that apply to an endpoint and cohort: the cohort's own row, else the all-cohorts row. */
export function targetFor(all: readonly TargetRow[], endpoint: string | null, cohort: string | null): TargetRow | null {
  if (!endpoint) return null;
  const mine = all.filter((t) => t.endpoint === endpoint);
  return (cohort !== null ? mine.find((t) => t.cohort === cohort) : undefined) ?? mine.find((t) => t.cohort === null) ?? null;
}

export type Breach = "ceiling" | "target" | null;

/** Over the ceiling, over the target, or neither, for a cost per request. */
export function breachOf(costPerRequest: string | null | undefined, t: TargetRow | null): Breach {
  if (!costPerRequest || !t) return null;
  const c = new Decimal(costPerRequest);
  if (t.ceilingCost && c.gt(t.ceilingCost)) return "ceiling";
  if (t.targetCost && c.gt(t.targetCost)) return "target";
  return null;
}

/** Revenue − cost per request, when a revenue per request is set. */
export function marginOf(costPerRequest: string | null | undefined, t: TargetRow | null): string | null {
  if (!costPerRequest || !t?.revenuePerRequest) return null;
  return new Decimal(t.revenuePerRequest).minus(costPerRequest).toFixed();
}

/** May this principal change the targets of the endpoint (admins; the owner of its feature)? */
export async function canManageTargets(db: Db, principal: Principal, endpointSlug: string): Promise<boolean> {
  if (isAdmin(principal)) return true;
  const { rows } = await db.query<{ owner_id: string | null }>(
    "SELECT f.owner_id FROM endpoints e JOIN features f ON f.id = e.feature_id WHERE e.slug = $1",
    [endpointSlug],
  );
  return !!rows[0] && mayManageTargets(principal, { ownerId: rows[0].owner_id });
}

/** Replaces an endpoint's targets (and primary metric) with the body's; audited. */
export async function putTargets(db: Db, b: z.output<typeof putTargetsSchema>, principal: Principal): Promise<EndpointTargets> {
  const endpoint = (await db.query<{ id: string }>("SELECT id FROM endpoints WHERE slug = $1", [b.endpoint])).rows[0];
  if (!endpoint) throw notFound(`Endpoint '${b.endpoint}'`);
  if (!(await canManageTargets(db, principal, b.endpoint))) {
    throw forbidden(`Only an admin or the owner of the feature of '${b.endpoint}' may change its targets.`);
  }
  const before = (await listTargets(db, b.endpoint))[0] ?? { endpoint: b.endpoint, primaryMetric: null, targets: [] };
  await withTransaction(async (tx) => {
    await tx.prisma.costTarget.deleteMany({ where: { endpointId: endpoint.id } });
    for (const t of b.targets) {
      await tx.prisma.costTarget.create({
        data: {
          endpointId: endpoint.id,
          cohort: t.cohort ?? null,
          targetCost: t.targetCost ?? null,
          ceilingCost: t.ceilingCost ?? null,
          revenuePerRequest: t.revenuePerRequest ?? null,
          latencyBudgetMs: t.latencyBudgetMs ?? null,
        },
      });
    }
    if (b.primaryMetric !== undefined) {
      await tx.prisma.qualityPrimaryMetric.deleteMany({ where: { endpointId: endpoint.id } });
      if (b.primaryMetric) await tx.prisma.qualityPrimaryMetric.create({ data: { endpointId: endpoint.id, metric: b.primaryMetric } });
    }
    const after = {
      endpoint: b.endpoint,
      primaryMetric: b.primaryMetric === undefined ? before.primaryMetric : b.primaryMetric,
      targets: b.targets,
    };
    await recordAudit(tx, actorOf(principal), { action: "targets.update", entityType: "endpoint", entityId: endpoint.id, before, after });
  }, { db });
  return (await listTargets(db, b.endpoint))[0] ?? { endpoint: b.endpoint, primaryMetric: null, targets: [] };
}
