// Changing customers and their revenue: a customer's name, plan and attributes; revenue rows per
// customer, month and (optionally) feature. Both audited; revenue of a closed month is refused like its
// invoices.
import { recordAudit, type Actor } from "@/lib/audit/record-audit";
import { withTransaction } from "@/lib/db/transaction";
import { badRequest, conflict, notFound } from "@/lib/errors";
import type { CustomerPatch, RevenueUpload } from "@/lib/customers/schemas";

export type RevenueResult = { saved: number; months: string[]; totalUsd: string; unknownCustomers: string[] };

/** Store revenue rows (a row replaces the one for the same month, customer and feature). */
export async function saveRevenue(input: RevenueUpload, actor: Actor): Promise<RevenueResult> {
  const seen = new Map<string, number>();
  input.rows.forEach((r, i) => {
    const key = `${r.month.label}\u0000${r.customerId}\u0000${r.feature}`;
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      throw badRequest("Each month, customer and feature may appear once.", [
        { path: `rows.${i}`, message: `row ${i + 1} repeats row ${earlier + 1} (${r.month.label}, ${r.customerId}${r.feature ? `, ${r.feature}` : ""})` },
      ]);
    }
    seen.set(key, i);
  });
  const months = [...new Set(input.rows.map((r) => r.month.start))].sort();
  return withTransaction(async (tx) => {
    const closed = await tx.query<{ m: string }>("SELECT to_char(month, 'YYYY-MM') AS m FROM closed_months WHERE month = ANY($1::date[]) ORDER BY 1", [months]);
    if (closed.rows.length) throw conflict(`${closed.rows.map((c) => c.m).join(", ")} ${closed.rows.length === 1 ? "is" : "are"} closed; reopen before changing its revenue.`);
    const { rows } = await tx.query<{ total: string; saved: number }>(
      `WITH input AS (SELECT * FROM unnest($1::date[], $2::text[], $3::text[], $4::numeric[]) AS t(month, customer_id, feature, amount_usd)),
       up AS (
         INSERT INTO customer_revenue (month, customer_id, feature, amount_usd, entered_by)
         SELECT month, customer_id, feature, amount_usd, $5 FROM input
         ON CONFLICT (month, customer_id, feature) DO UPDATE SET amount_usd = EXCLUDED.amount_usd, entered_by = EXCLUDED.entered_by, entered_at = EXCLUDED.entered_at
         RETURNING amount_usd
       )
       SELECT coalesce(sum(amount_usd), 0)::text AS total, count(*)::int AS saved FROM up`,
      [input.rows.map((r) => r.month.start), input.rows.map((r) => r.customerId), input.rows.map((r) => r.feature), input.rows.map((r) => r.amountUsd), actor.label],
    );
    const unknown = await tx.query<{ id: string }>(
      "SELECT DISTINCT id FROM unnest($1::text[]) AS t(id) WHERE NOT EXISTS (SELECT 1 FROM customers c WHERE c.id = t.id) ORDER BY id LIMIT 100",
      [input.rows.map((r) => r.customerId)],
    );
    const labels = months.map((m) => m.slice(0, 7));
    await recordAudit(tx, actor, {
      action: "customers.revenue.upload",
      entityType: "customer_revenue",
      entityId: labels.length === 1 ? labels[0]! : `${labels[0]}..${labels.at(-1)}`,
      before: null,
      after: { rows: rows[0]!.saved, totalUsd: rows[0]!.total, months: labels },
    });
    return { saved: rows[0]!.saved, months: labels, totalUsd: rows[0]!.total, unknownCustomers: unknown.rows.map((u) => u.id) };
  });
}

export type CustomerView = { id: string; name: string | null; plan: string | null; lastCohort: string | null; attributes: Record<string, unknown> };

/** Name a customer, set (or clear, with null) its plan, replace its attributes. */
export async function updateCustomer(id: string, patch: CustomerPatch, actor: Actor): Promise<CustomerView> {
  return withTransaction(async (tx) => {
    const { rows } = await tx.query<CustomerView & { last_cohort: string | null }>("SELECT id, name, plan, last_cohort, attributes FROM customers WHERE id = $1 FOR UPDATE", [id]);
    const before = rows[0];
    if (!before) throw notFound("Customer");
    const next = {
      name: patch.name === undefined ? before.name : patch.name || null,
      plan: patch.plan === undefined ? before.plan : patch.plan || null,
      attributes: patch.attributes ?? before.attributes,
    };
    await tx.query("UPDATE customers SET name = $2, plan = $3, attributes = $4::jsonb, updated_at = now() WHERE id = $1", [id, next.name, next.plan, JSON.stringify(next.attributes)]);
    await recordAudit(tx, actor, {
      action: "customers.update",
      entityType: "customer",
      entityId: id,
      before: { name: before.name, plan: before.plan, attributes: before.attributes },
      after: next,
    });
    return { id, ...next, lastCohort: before.last_cohort };
  });
}
