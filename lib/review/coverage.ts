// Coverage drill-down for one week: the spend the review cannot attribute (requests without an endpoint,
// or without a cohort) and the events it cannot price, grouped so the gap to fix first is on top, with
// example requests to open. Reads the week's request facts by index and only the events of those requests.
import Decimal from "decimal.js";
import type { Db } from "@/lib/db/client";
import { darkSpend, type DarkSpend } from "@/lib/finance/provider-costs/reconcile";
import { addWeeks } from "@/lib/rollups/weeks";

export type UnpricedGroup = { provider: string | null; model: string | null; /** One event's reason, as an example. */
  reason: string | null; events: number; requests: number; exampleRequestId: string };
export type UnattributedGroup = { feature: string | null; team: string | null; cohort: string | null; requests: number; totalCost: string; exampleRequestId: string };
export type CoverageRequest = { requestId: string; firstTs: string; endpoint: string | null; cohort: string | null; events: number; unpricedEvents: number; totalCost: string };

export type Coverage = {
  totals: { requests: number; totalCost: string };
  unattributed: { requests: number; totalCost: string; share: number; groups: UnattributedGroup[]; top: CoverageRequest[] };
  noCohort: { requests: number; totalCost: string; share: number; byEndpoint: { endpoint: string; requests: number; totalCost: string }[] };
  unpriced: { requests: number; events: number; groups: UnpricedGroup[]; top: CoverageRequest[] };
  /** Events priced in part (a served tier, tool fee or modality without a rate), per model with one reason each. */
  incomplete: { events: number; groups: UnpricedGroup[] };
  /** Spend the providers' own cost reports show on the week's days (as UTC days) where no event was seen. */
  darkSpend: DarkSpend;
};

const TOP = 25;

const share = (part: string, whole: string) => (new Decimal(whole).isZero() ? 0 : new Decimal(part).div(whole).toNumber());
const money = (v: string | null) => new Decimal(v ?? 0).toFixed();

type FactRow = { request_id: string; first_ts: Date; endpoint: string | null; cohort: string | null; events: number; unpriced_events: number; total_cost: string };
const toRequest = (r: FactRow): CoverageRequest => ({
  requestId: r.request_id,
  firstTs: r.first_ts.toISOString(),
  endpoint: r.endpoint,
  cohort: r.cohort,
  events: r.events,
  unpricedEvents: r.unpriced_events,
  totalCost: money(r.total_cost),
});

/** The week's unpriced (or incomplete) events by provider and model, with one event's reason and request as examples. */
function byModel(db: Db, monday: string, source: "unpriced" | "incomplete") {
  return db.query<{ provider: string | null; model: string | null; reason: string | null; events: number; requests: number; example: string }>(
    // The reason names the event's time, so it is not a grouping key: one example per model.
    `SELECT e.provider, e.model, min(e.unpriced_reason) AS reason, count(*)::int AS events, count(DISTINCT e.request_id)::int AS requests,
       min(e.request_id) AS example
     FROM request_facts f JOIN cost_events e ON e.request_key = f.request_id AND e.request_id = f.request_id
     WHERE f.week = $1::date AND f.${source}_events > 0 AND e.cost_source = $2
     GROUP BY 1, 2 ORDER BY count(*) DESC LIMIT 50`,
    [monday, source],
  );
}

export async function weekCoverage(db: Db, monday: string): Promise<Coverage> {
  const facts = "request_id, first_ts, endpoint, cohort, events, unpriced_events, total_cost::text";
  const [totals, unattributed, groups, topUnattributed, noCohort, unpricedTop, unpricedGroups, incompleteGroups, dark] = await Promise.all([
    db.query<{ requests: number; total: string | null; unpriced_requests: number; unpriced_events: number; incomplete_events: number }>(
      `SELECT requests, total_cost::text AS total, unpriced_requests, unpriced_events, incomplete_events FROM weekly_stats
       WHERE week = $1::date AND endpoint_all AND cohort_all`,
      [monday],
    ),
    db.query<{ requests: number; total: string | null }>(
      "SELECT count(*)::int AS requests, sum(total_cost)::text AS total FROM request_facts WHERE week = $1::date AND endpoint IS NULL",
      [monday],
    ),
    db.query<{ feature: string | null; team: string | null; cohort: string | null; requests: number; total: string; example: string }>(
      `SELECT feature, team, cohort, count(*)::int AS requests, sum(total_cost)::text AS total, min(request_id) AS example
       FROM request_facts WHERE week = $1::date AND endpoint IS NULL
       GROUP BY feature, team, cohort ORDER BY sum(total_cost) DESC, count(*) DESC LIMIT 50`,
      [monday],
    ),
    db.query<FactRow>(`SELECT ${facts} FROM request_facts WHERE week = $1::date AND endpoint IS NULL ORDER BY total_cost DESC, request_id LIMIT ${TOP}`, [monday]),
    db.query<{ endpoint: string; requests: number; total: string }>(
      `SELECT endpoint, requests, total_cost::text AS total FROM weekly_stats
       WHERE week = $1::date AND endpoint IS NOT NULL AND cohort IS NULL AND NOT cohort_all ORDER BY total_cost DESC`,
      [monday],
    ),
    db.query<FactRow>(
      `SELECT ${facts} FROM request_facts WHERE week = $1::date AND unpriced_events > 0 ORDER BY unpriced_events DESC, first_ts DESC, request_id LIMIT ${TOP}`,
      [monday],
    ),
    byModel(db, monday, "unpriced"),
    byModel(db, monday, "incomplete"),
    darkSpend(db, monday, addWeeks(monday, 1)),
  ]);
  const total = money(totals.rows[0]?.total ?? null);
  const unattributedCost = money(unattributed.rows[0]?.total ?? null);
  const noCohortCost = noCohort.rows.reduce((s, r) => s.plus(r.total), new Decimal(0)).toFixed();
  return {
    totals: { requests: totals.rows[0]?.requests ?? 0, totalCost: total },
    unattributed: {
      requests: unattributed.rows[0]?.requests ?? 0,
      totalCost: unattributedCost,
      share: share(unattributedCost, total),
      groups: groups.rows.map((g) => ({ feature: g.feature, team: g.team, cohort: g.cohort, requests: g.requests, totalCost: money(g.total), exampleRequestId: g.example })),
      top: topUnattributed.rows.map(toRequest),
    },
    noCohort: {
      requests: noCohort.rows.reduce((s, r) => s + r.requests, 0),
      totalCost: noCohortCost,
      share: share(noCohortCost, total),
      byEndpoint: noCohort.rows.map((r) => ({ endpoint: r.endpoint, requests: r.requests, totalCost: money(r.total) })),
    },
    unpriced: {
      requests: totals.rows[0]?.unpriced_requests ?? 0,
      events: totals.rows[0]?.unpriced_events ?? 0,
      groups: unpricedGroups.rows.map((g) => ({ provider: g.provider, model: g.model, reason: g.reason, events: g.events, requests: g.requests, exampleRequestId: g.example })),
      top: unpricedTop.rows.map(toRequest),
    },
    incomplete: {
      events: totals.rows[0]?.incomplete_events ?? 0,
      groups: incompleteGroups.rows.map((g) => ({ provider: g.provider, model: g.model, reason: g.reason, events: g.events, requests: g.requests, exampleRequestId: g.example })),
    },
    darkSpend: dark,
  };
}
