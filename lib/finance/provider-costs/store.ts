// Storing a provider's cost report: the imported days replace what was stored for those days of that
// provider (a re-import of the same report, or a fuller one, never doubles), in one transaction, audited.
import { recordAudit, type Actor } from "@/lib/audit/record-audit";
import { withTransaction } from "@/lib/db/transaction";
import type { ReportProvider } from "@/lib/finance/schemas";
import type { ProviderCostRow } from "@/lib/finance/provider-costs/parse";
import { Dec } from "@/lib/pricing/price-entry";

export type ProviderCostImport = { provider: ReportProvider; source: "file" | "pull"; days: number; lines: number; totalUsd: string; from: string | null; to: string | null };

export async function storeProviderCosts(provider: ReportProvider, rows: readonly ProviderCostRow[], source: "file" | "pull", actor: Actor): Promise<ProviderCostImport> {
  const days = [...new Set(rows.map((r) => r.day))].sort();
  const total = rows.reduce((s, r) => s.plus(r.amountUsd), new Dec(0)).toFixed();
  const result: ProviderCostImport = { provider, source, days: days.length, lines: rows.length, totalUsd: total, from: days[0] ?? null, to: days.at(-1) ?? null };
  if (rows.length === 0) return result;
  return withTransaction(async (tx) => {
    const before = await tx.query<{ lines: number; total: string | null }>(
      "SELECT count(*)::int AS lines, sum(amount_usd)::text AS total FROM provider_costs WHERE provider = $1 AND day = ANY($2::date[])",
      [provider, days],
    );
    await tx.query("DELETE FROM provider_costs WHERE provider = $1 AND day = ANY($2::date[])", [provider, days]);
    await tx.query(
      `INSERT INTO provider_costs (provider, day, line_key, model, amount_usd, source, imported_by)
       SELECT $1, d, k, m, a::numeric, $6, $7 FROM unnest($2::date[], $3::text[], $4::text[], $5::text[]) AS t(d, k, m, a)`,
      [provider, rows.map((r) => r.day), rows.map((r) => r.lineKey), rows.map((r) => r.model), rows.map((r) => r.amountUsd), source, actor.label],
    );
    const b = before.rows[0];
    await recordAudit(tx, actor, {
      action: "finance.provider_costs.import",
      entityType: "provider_costs",
      entityId: `${provider}/${result.from}..${result.to}`,
      before: b && b.lines > 0 ? { lines: b.lines, totalUsd: new Dec(b.total ?? 0).toFixed() } : null,
      after: { source, days: result.days, lines: result.lines, totalUsd: total },
    });
    return result;
  });
}
