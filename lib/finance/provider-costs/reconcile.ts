// Per-day, per-model reconciliation of the events against the providers' own cost reports, and the dark
// spend it finds (reported by a provider where no events were seen).
//
// Decisions:
// - Computed = the cost of the provider's events of the UTC day and model, cost source billed, estimated or
//   incomplete (what could be priced of it); unpriced events add nothing and are counted on the line. GPU
//   shares and overhead are never on a provider's report.
// - Reported = the sum of the report's lines for the day and model. Models match by exact name: a report
//   line without a model (an OpenAI report not grouped by line item) meets only events without a model.
// - Only the days a provider's report covers are reconciled (a day not yet imported has nothing to say);
//   within them every event model shows, so spend the report does not carry shows as "over".
// - Variance = computed − reported. Status: "dark_spend" when reported > 0 and no event at all was seen;
//   "within" when |variance| ≤ tolerance % of reported (settings key finance.tolerancePct, as the monthly
//   reconciliation) or both are 0; otherwise "over" or "under". Lines come largest |variance| first.
import type { Db } from "@/lib/db/client";
import type { Month } from "@/lib/finance/months";
import type { ReportProvider } from "@/lib/finance/schemas";
import { Dec } from "@/lib/pricing/price-entry";
import { getSetting } from "@/lib/settings/settings";

export type DailyLine = {
  provider: string;
  day: string;
  model: string | null;
  events: number;
  unpricedEvents: number;
  computedCost: string;
  reportedCost: string;
  varianceUsd: string;
  status: "within" | "over" | "under" | "dark_spend";
};

export type DailyReconciliation = {
  month: string;
  provider: string | null;
  tolerancePct: string;
  reportedDays: number;
  totals: { computedCost: string; reportedCost: string; varianceUsd: string };
  /** The dark lines, and per provider their total and the days they fall on, largest first. */
  darkSpend: { lines: number; totalCost: string; providers: { provider: string; days: number; totalCost: string }[] };
  lines: DailyLine[];
};

type Reported = { provider: string; day: string; model: string | null; reported: string };
type Computed = { provider: string; day: string; model: string | null; events: number; unpriced: number; computed: string };

const keyOf = (r: { provider: string; day: string; model: string | null }) => JSON.stringify([r.provider, r.day, r.model]);

async function reportedAndComputed(db: Db, from: string, to: string, provider?: string) {
  const reported = await db.query<Reported>(
    `SELECT provider, to_char(day, 'YYYY-MM-DD') AS day, model, sum(amount_usd)::text AS reported FROM provider_costs
     WHERE day >= $1::date AND day < $2::date AND ($3::text IS NULL OR provider = $3) GROUP BY 1, 2, 3`,
    [from, to, provider ?? null],
  );
  const computed = await db.query<Computed>(
    `SELECT e.provider, to_char((e.ts AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD') AS day, e.model, count(*)::int AS events,
       (count(*) FILTER (WHERE e.cost_source = 'unpriced'))::int AS unpriced,
       coalesce(sum(e.cost_usd) FILTER (WHERE e.cost_source IN ('billed', 'estimated', 'incomplete')), 0)::text AS computed
     FROM cost_events e
     WHERE e.ts >= $1::date AT TIME ZONE 'UTC' AND e.ts < $2::date AT TIME ZONE 'UTC'
       AND e.provider IN (SELECT DISTINCT provider FROM provider_costs WHERE day >= $1::date AND day < $2::date AND ($3::text IS NULL OR provider = $3))
       AND (e.ts AT TIME ZONE 'UTC')::date IN (SELECT day FROM provider_costs p WHERE p.provider = e.provider AND p.day >= $1::date AND p.day < $2::date)
     GROUP BY 1, 2, 3`,
    [from, to, provider ?? null],
  );
  return { reported: reported.rows, computed: computed.rows };
}

function lineOf(k: { provider: string; day: string; model: string | null }, r: Reported | undefined, c: Computed | undefined, tolerance: Dec): DailyLine {
  const reported = new Dec(r?.reported ?? 0);
  const computed = new Dec(c?.computed ?? 0);
  const variance = computed.minus(reported);
  const events = c?.events ?? 0;
  let status: DailyLine["status"];
  if (events === 0 && reported.gt(0)) status = "dark_spend";
  else if (variance.abs().lte(reported.abs().times(tolerance).dividedBy(100))) status = "within";
  else status = variance.isPositive() ? "over" : "under";
  return {
    provider: k.provider,
    day: k.day,
    model: k.model,
    events,
    unpricedEvents: c?.unpriced ?? 0,
    computedCost: computed.toFixed(),
    reportedCost: reported.toFixed(),
    varianceUsd: variance.toFixed(),
    status,
  };
}

function lines(reported: Reported[], computed: Computed[], tolerance: Dec): DailyLine[] {
  const r = new Map(reported.map((x) => [keyOf(x), x]));
  const c = new Map(computed.map((x) => [keyOf(x), x]));
  const keys = new Map([...reported, ...computed].map((x) => [keyOf(x), { provider: x.provider, day: x.day, model: x.model }]));
  return [...keys.entries()]
    .map(([k, key]) => lineOf(key, r.get(k), c.get(k), tolerance))
    .sort((a, b) => {
      const d = new Dec(b.varianceUsd).abs().comparedTo(new Dec(a.varianceUsd).abs());
      return d !== 0 ? d : a.day.localeCompare(b.day) || a.provider.localeCompare(b.provider) || (a.model ?? "").localeCompare(b.model ?? "");
    });
}

function darkByProvider(dark: DailyLine[]): DailyReconciliation["darkSpend"]["providers"] {
  const by = new Map<string, { days: Set<string>; sum: Dec }>();
  for (const l of dark) {
    const g = by.get(l.provider) ?? { days: new Set<string>(), sum: new Dec(0) };
    g.days.add(l.day);
    g.sum = g.sum.plus(l.reportedCost);
    by.set(l.provider, g);
  }
  return [...by.entries()]
    .sort(([a, x], [b, y]) => y.sum.comparedTo(x.sum) || a.localeCompare(b))
    .map(([provider, g]) => ({ provider, days: g.days.size, totalCost: g.sum.toFixed() }));
}

export async function dailyReconciliation(db: Db, month: Month, provider?: ReportProvider): Promise<DailyReconciliation> {
  const [tol, { reported, computed }] = await Promise.all([getSetting(db, "finance.tolerancePct"), reportedAndComputed(db, month.start, month.end, provider)]);
  const all = lines(reported, computed, new Dec(tol));
  const dark = all.filter((l) => l.status === "dark_spend");
  const sum = (xs: DailyLine[], f: (l: DailyLine) => string) => xs.reduce((s, l) => s.plus(f(l)), new Dec(0));
  const comp = sum(all, (l) => l.computedCost);
  const rep = sum(all, (l) => l.reportedCost);
  return {
    month: month.label,
    provider: provider ?? null,
    tolerancePct: tol,
    reportedDays: new Set(reported.map((x) => `${x.provider}/${x.day}`)).size,
    totals: { computedCost: comp.toFixed(), reportedCost: rep.toFixed(), varianceUsd: comp.minus(rep).toFixed() },
    darkSpend: { lines: dark.length, totalCost: sum(dark, (l) => l.reportedCost).toFixed(), providers: darkByProvider(dark) },
    lines: all,
  };
}

export type DarkSpend = { lines: number; totalCost: string; groups: { provider: string; model: string | null; days: number; totalCost: string }[] };

/** Dark spend of the UTC days from … to (exclusive): report lines with spend where no event was seen. */
export async function darkSpend(db: Db, from: string, to: string): Promise<DarkSpend> {
  const { reported, computed } = await reportedAndComputed(db, from, to);
  const dark = lines(reported, computed, new Dec(0)).filter((l) => l.status === "dark_spend");
  const groups = new Map<string, { provider: string; model: string | null; days: number; sum: Dec }>();
  for (const l of dark) {
    const k = JSON.stringify([l.provider, l.model]);
    const g = groups.get(k) ?? { provider: l.provider, model: l.model, days: 0, sum: new Dec(0) };
    g.days++;
    g.sum = g.sum.plus(l.reportedCost);
    groups.set(k, g);
  }
  return {
    lines: dark.length,
    totalCost: dark.reduce((s, l) => s.plus(l.reportedCost), new Dec(0)).toFixed(),
    groups: [...groups.values()]
      .sort((a, b) => b.sum.comparedTo(a.sum) || a.provider.localeCompare(b.provider))
      .map((g) => ({ provider: g.provider, model: g.model, days: g.days, totalCost: g.sum.toFixed() })),
  };
}
