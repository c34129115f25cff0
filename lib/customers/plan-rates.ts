// Revenue per request assumed per plan: the fallback for customers without uploaded revenue in a month
// (lib/customers/margin.ts turns it into requests × rate, labelled as assumed). Set by finance, audited.
import Decimal from "decimal.js";
import type { Db } from "@/lib/db/client";
import { recordAudit, type Actor } from "@/lib/audit/record-audit";
import { withTransaction } from "@/lib/db/transaction";
import { badRequest } from "@/lib/errors";
import type { PlanRatesInput } from "@/lib/customers/schemas";

export type PlanRate = { plan: string; revenuePerRequest: string | null; customers: number; updatedBy: string | null; updatedAt: string | null };

/** Every plan customers carry, and every plan with a rate, with the rate when set; by plan name. */
export async function listPlanRates(db: Db): Promise<PlanRate[]> {
  const { rows } = await db.query<{ plan: string; rate: string | null; customers: number; updated_by: string | null; updated_at: Date | null }>(
    `WITH p AS (SELECT coalesce(plan, last_cohort) AS plan, count(*)::int AS customers FROM customers WHERE coalesce(plan, last_cohort) IS NOT NULL GROUP BY 1)
     SELECT coalesce(p.plan, r.plan) AS plan, r.revenue_per_request::text AS rate, coalesce(p.customers, 0) AS customers, r.updated_by, r.updated_at
     FROM p FULL JOIN plan_revenue_rates r ON r.plan = p.plan ORDER BY coalesce(p.plan, r.plan) COLLATE "C"`,
  );
  return rows.map((r) => ({ plan: r.plan, revenuePerRequest: r.rate === null ? null : new Decimal(r.rate).toFixed(), customers: r.customers, updatedBy: r.updated_by, updatedAt: r.updated_at?.toISOString() ?? null }));
}

/** Sets (or, with null, removes) the assumed revenue per request of each listed plan, in one audited transaction. */
export async function setPlanRates(db: Db, input: PlanRatesInput, actor: Actor): Promise<PlanRate[]> {
  const seen = new Map<string, number>();
  input.rates.forEach((r, i) => {
    const earlier = seen.get(r.plan);
    if (earlier !== undefined) throw badRequest("Each plan may appear once.", [{ path: `rates.${i}.plan`, message: `rates ${i + 1} repeats the plan of rates ${earlier + 1} (${r.plan})` }]);
    seen.set(r.plan, i);
  });
  await withTransaction(
    async (tx) => {
      const plans = input.rates.map((r) => r.plan);
      const before = await tx.query<{ plan: string; rate: string }>("SELECT plan, revenue_per_request::text AS rate FROM plan_revenue_rates WHERE plan = ANY($1::text[]) FOR UPDATE", [plans]);
      const set = input.rates.filter((r) => r.revenuePerRequest !== null);
      const removed = input.rates.filter((r) => r.revenuePerRequest === null).map((r) => r.plan);
      if (removed.length) await tx.query("DELETE FROM plan_revenue_rates WHERE plan = ANY($1::text[])", [removed]);
      if (set.length) {
        await tx.query(
          `INSERT INTO plan_revenue_rates (plan, revenue_per_request, updated_by)
           SELECT * FROM unnest($1::text[], $2::numeric[], $3::text[])
           ON CONFLICT (plan) DO UPDATE SET revenue_per_request = EXCLUDED.revenue_per_request, updated_by = EXCLUDED.updated_by, updated_at = EXCLUDED.updated_at`,
          [set.map((r) => r.plan), set.map((r) => r.revenuePerRequest), set.map(() => actor.label)],
        );
      }
      await recordAudit(tx, actor, {
        action: "customers.plan_rates.update",
        entityType: "plan_revenue_rates",
        entityId: plans.length === 1 ? plans[0]! : null,
        before: Object.fromEntries(before.rows.map((r) => [r.plan, r.rate])),
        after: Object.fromEntries(input.rates.map((r) => [r.plan, r.revenuePerRequest])),
      });
    },
    { db },
  );
  return listPlanRates(db);
}
