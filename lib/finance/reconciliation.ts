// Reconciliation: per provider and month, what Cost Review computed against what the provider invoiced,
// with the billed (provider-reported) and estimated (price-book) parts apart so a drift's source shows.
//
// Decisions:
// - Computed = the direct cost of the provider's events in the month (billed + estimated; GPU shares
//   and overhead are not on a provider's invoice). Unpriced events add nothing and are counted.
// - Variance = computed − invoiced; variance % = variance / invoiced × 100. Status: "within" when
//   |variance %| ≤ the tolerance (settings key finance.tolerancePct, default 1 %), otherwise "over"
//   (computed above the invoice) or "under"; "no_invoice" when none was entered; an invoice of 0 is
//   within only when computed is 0 too.
// - Invoices are entered per month and provider (provider lower-cased and trimmed, as events are
//   grouped); saving an amount replaces the previous one, null removes it; both audited.
// - Two lines have no invoice to meet, status "not_invoiced": self-hosted models (their cost is the GPU
//   pools') and events without a provider; the latter shows only when it carries cost.
import type pg from "pg";
import { recordAudit, type Actor } from "@/lib/audit/record-audit";
import { badRequest, conflict } from "@/lib/errors";
import type { InvoicesInput } from "@/lib/finance/schemas";
import { Dec } from "@/lib/pricing/price-entry";
import { getSetting } from "@/lib/settings/settings";
import { type Month } from "@/lib/finance/months";
import { SELF_HOSTED_PROVIDER } from "@/lib/finance/schemas";
import { isMonthClosed } from "@/lib/finance/close-month";
import { withTransaction } from "@/lib/db/transaction";

export type ReconciliationLine = {
  provider: string;
  events: number;
  billedEvents: number;
  estimatedEvents: number;
  unpricedEvents: number;
  billedCost: string;
  estimatedCost: string;
  computedCost: string;
  invoicedCost: string | null;
  invoiceNote: string | null;
  varianceUsd: string | null;
  variancePct: string | null;
  status: "within" | "over" | "under" | "no_invoice" | "not_invoiced";
};

export const NO_PROVIDER = "(no provider)";

export type Reconciliation = { month: string; tolerancePct: string; lines: ReconciliationLine[] };

export async function reconciliation(db: pg.Pool | pg.PoolClient, month: Month): Promise<Reconciliation> {
  const [tol, computed, invoices] = await Promise.all([
    getSetting(db, "finance.tolerancePct"),
    db.query<{ provider: string | null; events: number; billed_events: number; estimated_events: number; unpriced: number; billed: string; estimated: string }>(
      `SELECT provider, sum(events)::int AS events,
         coalesce(sum(events) FILTER (WHERE cost_source = 'billed'), 0)::int AS billed_events,
         coalesce(sum(events) FILTER (WHERE cost_source = 'estimated'), 0)::int AS estimated_events,
         sum(unpriced_events)::int AS unpriced,
         coalesce(sum(direct_cost) FILTER (WHERE cost_source = 'billed'), 0)::text AS billed,
         coalesce(sum(direct_cost) FILTER (WHERE cost_source = 'estimated'), 0)::text AS estimated
       FROM daily_costs WHERE day >= $1::date AND day < $2::date AND cost_source <> 'gpu' GROUP BY provider`,
      [month.start, month.end],
    ),
    db.query<{ provider: string; amount: string; note: string }>(
      "SELECT provider, amount_usd::text AS amount, note FROM finance_invoices WHERE month = $1::date",
      [month.start],
    ),
  ]);
  const inv = new Map(invoices.rows.map((r) => [r.provider, r]));
  const providers = new Set<string>([...computed.rows.map((r) => r.provider ?? ""), ...inv.keys()]);
  const byProvider = new Map(computed.rows.map((r) => [r.provider ?? "", r]));
  const tolerance = new Dec(tol);
  const lines = [...providers].sort().flatMap<ReconciliationLine>((p) => {
    const c = byProvider.get(p);
    const billed = new Dec(c?.billed ?? 0);
    const estimated = new Dec(c?.estimated ?? 0);
    const comp = billed.plus(estimated);
    if (p === "" && comp.isZero()) return [];
    const i = inv.get(p);
    let varianceUsd: string | null = null;
    let variancePct: string | null = null;
    let status: ReconciliationLine["status"] = p === "" || p === SELF_HOSTED_PROVIDER ? "not_invoiced" : "no_invoice";
    if (i) {
      const invoiced = new Dec(i.amount);
      const variance = comp.minus(invoiced);
      varianceUsd = variance.toFixed();
      if (!invoiced.isZero()) {
        const pct = variance.dividedBy(invoiced).times(100);
        variancePct = pct.toDecimalPlaces(2).toFixed(2);
        status = pct.abs().lte(tolerance) ? "within" : pct.isPositive() ? "over" : "under";
      } else status = variance.isZero() ? "within" : "over";
    }
    return [{
      provider: p === "" ? NO_PROVIDER : p,
      events: c?.events ?? 0,
      billedEvents: c?.billed_events ?? 0,
      estimatedEvents: c?.estimated_events ?? 0,
      unpricedEvents: c?.unpriced ?? 0,
      billedCost: billed.toFixed(),
      estimatedCost: estimated.toFixed(),
      computedCost: comp.toFixed(),
      invoicedCost: i ? new Dec(i.amount).toFixed() : null,
      invoiceNote: i?.note ?? null,
      varianceUsd,
      variancePct,
      status,
    }];
  });
  return { month: month.label, tolerancePct: tol, lines };
}

/** Enter, replace or (amountUsd null) remove invoice totals for a month; audited. Refused for a closed month. */
export async function saveInvoices(input: InvoicesInput, actor: Actor): Promise<{ month: string; saved: number; removed: number }> {
  const { month: m, invoices } = input;
  const month = m.label;
  const dup = invoices.map((i) => i.provider).find((p, idx, all) => all.indexOf(p) !== idx);
  if (dup) throw badRequest("Each provider may appear once.", [{ path: "invoices", message: `provider "${dup}" appears more than once` }]);
  return withTransaction(async (tx) => {
    if (await isMonthClosed(tx.prisma, m)) throw conflict(`${month} is closed; reopen it before changing its invoices.`);
    let saved = 0;
    let removed = 0;
    for (const i of invoices) {
      const where = { month_provider: { month: new Date(`${m.start}T00:00:00Z`), provider: i.provider } };
      const before = await tx.prisma.financeInvoice.findUnique({ where });
      if (i.amountUsd === null) {
        if (before) {
          await tx.prisma.financeInvoice.delete({ where });
          removed++;
        }
      } else {
        await tx.prisma.financeInvoice.upsert({
          where,
          create: { month: new Date(`${m.start}T00:00:00Z`), provider: i.provider, amountUsd: i.amountUsd, note: i.note ?? "", enteredBy: actor.label },
          update: { amountUsd: i.amountUsd, note: i.note ?? before?.note ?? "", enteredBy: actor.label, enteredAt: new Date() },
        });
        saved++;
      }
      await recordAudit(tx, actor, {
        action: i.amountUsd === null ? "finance.invoice.remove" : "finance.invoice.save",
        entityType: "finance_invoice",
        entityId: `${month}/${i.provider}`,
        before: before ? { amountUsd: before.amountUsd.toFixed(), note: before.note } : null,
        after: i.amountUsd === null ? null : { amountUsd: i.amountUsd, note: i.note ?? before?.note ?? "" },
      });
    }
    return { month, saved, removed };
  });
}

