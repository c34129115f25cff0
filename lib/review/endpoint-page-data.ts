// The endpoint page's data, from the rollups: twelve weeks of cost per request by cohort, volume,
// latency and errors, and the week's most expensive requests.
import Decimal from "decimal.js";
import { addWeeks, isoLabel, lastCompleteMonday, mondayOf } from "@/lib/rollups/weeks";
import type { Principal } from "@/lib/auth/principal";
import { canManageTargets } from "@/lib/targets/targets";
import { pool, type Db } from "@/lib/db/client";
import { getSetting } from "@/lib/settings/settings";
import { endpointQuality, type EndpointQuality } from "@/lib/quality/endpoint-quality";

export type EndpointWeek = {
  week: string;
  requests: number;
  meanCost: number | null;
  p95Cost: number | null;
  latencyP95Ms: number | null;
  errorRate: number | null;
  byCohort: Record<string, number | null>;
};

export type Outlier = { requestId: string; cohort: string | null; customerId: string | null; firstTs: string; totalCost: string; events: number; latencyMs: number | null; unpricedEvents: number };
/** One customer's part of the endpoint's week (customerId null: requests that name no customer). */
export type EndpointCustomer = { customerId: string | null; requests: number; totalCost: string; costPerRequest: string; sharePct: string | null };

export type EndpointPageData = {
  weeks: EndpointWeek[];
  cohorts: string[];
  outliers: Outlier[];
  outlierWeek: string;
  /** The week's ten most expensive customers of the endpoint (and the requests without one), with how many customers it had. */
  customers: { top: EndpointCustomer[]; count: number };
};

export async function endpointPageData(db: Db, endpoint: string, lastMonday: string): Promise<EndpointPageData> {
  const first = addWeeks(lastMonday, -11);
  const [stats, outliers, customers] = await Promise.all([
    db.query<{ week: string; cohort: string | null; cohort_all: boolean; requests: number; mean_cost: string; p95_cost: string; latency_p95_ms: number | null; error_requests: number }>(
      `SELECT week::text AS week, cohort, cohort_all, requests, mean_cost::text, p95_cost::text, latency_p95_ms, error_requests
       FROM weekly_stats WHERE endpoint = $1 AND NOT endpoint_all AND week BETWEEN $2::date AND $3::date`,
      [endpoint, first, lastMonday],
    ),
    db.query<{ request_id: string; cohort: string | null; customer_id: string | null; first_ts: Date; total_cost: string; events: number; latency_ms: number | null; unpriced_events: number }>(
      `SELECT request_id, cohort, customer_id, first_ts, total_cost::text, events, latency_ms, unpriced_events FROM request_facts
       WHERE week = $2::date AND endpoint = $1 ORDER BY total_cost DESC LIMIT 10`,
      [endpoint, lastMonday],
    ),
    db.query<{ customer_id: string | null; requests: number; cost: string; total: string; customers: number }>(
      `SELECT customer_id, count(*)::int AS requests, sum(total_cost)::text AS cost, (sum(sum(total_cost)) OVER ())::text AS total,
         (count(customer_id) OVER ())::int AS customers
       FROM request_facts WHERE week = $2::date AND endpoint = $1 GROUP BY customer_id
       ORDER BY customer_id IS NULL DESC, sum(total_cost) DESC, customer_id COLLATE "C" LIMIT 11`,
      [endpoint, lastMonday],
    ),
  ]);
  const named = customers.rows.filter((c) => c.customer_id !== null).slice(0, 10);
  const none = customers.rows.find((c) => c.customer_id === null);
  const cohorts = [...new Set(stats.rows.filter((r) => !r.cohort_all).map((r) => r.cohort ?? "(no cohort)"))].sort();
  const weeks: EndpointWeek[] = Array.from({ length: 12 }, (_, i) => {
    const monday = addWeeks(first, i);
    const all = stats.rows.find((r) => r.week === monday && r.cohort_all);
    const byCohort: Record<string, number | null> = {};
    for (const c of cohorts) {
      const r = stats.rows.find((x) => x.week === monday && !x.cohort_all && (x.cohort ?? "(no cohort)") === c);
      byCohort[c] = r ? new Decimal(r.mean_cost).toNumber() : null;
    }
    return {
      week: isoLabel(monday),
      requests: all?.requests ?? 0,
      meanCost: all ? new Decimal(all.mean_cost).toNumber() : null,
      p95Cost: all ? new Decimal(all.p95_cost).toNumber() : null,
      latencyP95Ms: all?.latency_p95_ms ?? null,
      errorRate: all && all.requests ? all.error_requests / all.requests : null,
      byCohort,
    };
  });
  return {
    weeks,
    cohorts,
    outlierWeek: isoLabel(lastMonday),
    outliers: outliers.rows.map((r) => ({
      requestId: r.request_id,
      cohort: r.cohort,
      customerId: r.customer_id,
      firstTs: r.first_ts.toISOString(),
      totalCost: new Decimal(r.total_cost).toFixed(),
      events: r.events,
      latencyMs: r.latency_ms,
      unpricedEvents: r.unpriced_events,
    })),
    customers: {
      top: [...named, ...(none ? [none] : [])].map((c) => ({
        customerId: c.customer_id,
        requests: c.requests,
        totalCost: new Decimal(c.cost).toFixed(),
        costPerRequest: new Decimal(c.cost).div(c.requests).toDecimalPlaces(12).toFixed(),
        sharePct: new Decimal(c.total).isZero() ? null : new Decimal(c.cost).div(c.total).times(100).toDecimalPlaces(2).toFixed(2),
      })),
      count: customers.rows[0]?.customers ?? 0,
    },
  };
}

/**
 * The endpoint page's figures and quality for the twelve weeks up to a chosen week (`asked`, an ISO week
 * such as 2026-W40) or, by default and for any week not yet over, the last complete week (organisation's
 * time zone).
 */
export async function endpointWeeks(
  endpoint: string,
  asked?: string,
): Promise<{ tz: string; latest: string; lastMonday: string; data: EndpointPageData; quality: EndpointQuality }> {
  const db = pool();
  const tz = await getSetting(db, "timezone");
  const latest = lastCompleteMonday(new Date(), tz);
  const picked = asked ? mondayOf(asked) : null;
  const lastMonday = picked && picked <= latest ? picked : latest;
  const [data, quality] = await Promise.all([endpointPageData(db, endpoint, lastMonday), endpointQuality(db, endpoint, lastMonday)]);
  return { tz, latest, lastMonday, data, quality };
}

/** May this principal change the endpoint's targets (the page shows the targets form)? */
export async function endpointTargetsEditable(principal: Principal, endpointSlug: string): Promise<boolean> {
  return canManageTargets(pool(), principal, endpointSlug);
}
