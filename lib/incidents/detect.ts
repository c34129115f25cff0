// Cost incidents: a sustained spike of an endpoint's hourly cost per request over its rolling baseline.
//
// An hour (UTC, by the request's first event) is hot when it has at least `minRequests` requests and
// its cost per request is more than `factor` × the baseline, the mean cost per request over the 7
// days before that hour (at least `minRequests` requests in them); the hours after the first of a
// streak keep the first hour's baseline. `hours` consecutive hot hours open
// an incident for the endpoint, with the feature's owner as the triage owner. Detection is idempotent:
// runs are serialised by an advisory lock; an endpoint has at most one open incident (a unique index),
// which later hot runs extend; hours up to the end of a resolved incident are never reported again.
import type pg from "pg";
import { Decimal } from "decimal.js";
import type { Db } from "@/lib/db/client";
import { recordAudit } from "@/lib/audit/record-audit";
import { env } from "@/lib/env";
import { withTransaction } from "@/lib/db/transaction";
import { notifyIncidentOpened } from "@/lib/notify/events";

export type IncidentHour = { hour: string; requests: number; costPerRequest: string; baseline: string };
export type DetectOptions = { from?: Date; to?: Date; factor?: number; hours?: number; minRequests?: number };
export type DetectResult = { opened: string[]; extended: string[]; scanned: { from: string; to: string } };

const DETECTOR = { label: "incident-detector" };
const LOCK_KEY = 724_311_905;

export function detectionSettings(o: DetectOptions = {}) {
  const e = env();
  return { factor: o.factor ?? e.INCIDENT_FACTOR, hours: o.hours ?? e.INCIDENT_HOURS, minRequests: o.minRequests ?? e.INCIDENT_MIN_REQUESTS };
}

/**
 * Hot hours in [from, to) per endpoint, oldest first. The baseline of an hour is the mean cost per
 * request over the 168 hours before it; while a streak of hot hours lasts, its hours are held against
 * the baseline of the streak's first hour, so a spike does not raise the bar it is measured by.
 */
async function hotHours(client: pg.PoolClient, from: Date, to: Date, factor: number, minRequests: number): Promise<Map<string, IncidentHour[]>> {
  const { rows } = await client.query<{ endpoint: string; hour: Date; requests: number; cost: string }>(
    `SELECT endpoint, date_trunc('hour', first_ts, 'UTC') AS hour, count(*)::int AS requests, sum(total_cost)::text AS cost
     FROM request_facts
     WHERE endpoint IS NOT NULL AND first_ts >= $1::timestamptz - interval '7 days' AND first_ts < $2::timestamptz
     GROUP BY 1, 2 ORDER BY 1, 2`,
    [from, to],
  );
  const byEndpoint = new Map<string, { t: number; requests: number; cost: Decimal }[]>();
  for (const r of rows) {
    const list = byEndpoint.get(r.endpoint) ?? [];
    list.push({ t: r.hour.getTime(), requests: r.requests, cost: new Decimal(r.cost) });
    byEndpoint.set(r.endpoint, list);
  }
  const WEEK = 168 * 3_600_000;
  const f = new Decimal(String(factor));
  const result = new Map<string, IncidentHour[]>();
  for (const [endpoint, hours] of byEndpoint) {
    let lo = 0;
    let baseCost = new Decimal(0);
    let baseRequests = 0;
    let streak: { last: number; baseline: Decimal } | null = null;
    const hot: IncidentHour[] = [];
    for (let i = 0; i < hours.length; i++) {
      const h = hours[i]!;
      // The rolling window holds the hours in [h - 168 h, h).
      while (lo < i && hours[lo]!.t < h.t - WEEK) {
        baseCost = baseCost.minus(hours[lo]!.cost);
        baseRequests -= hours[lo]!.requests;
        lo++;
      }
      if (h.t >= from.getTime() && h.requests >= minRequests) {
        const continuing: Decimal | null = streak && streak.last === h.t - 3_600_000 ? streak.baseline : null;
        const baseline: Decimal | null = continuing ?? (baseRequests >= minRequests ? baseCost.div(baseRequests) : null);
        const cpr = h.cost.div(h.requests);
        if (baseline && baseline.gt(0) && cpr.gt(f.times(baseline))) {
          hot.push({ hour: new Date(h.t).toISOString(), requests: h.requests, costPerRequest: cpr.toDecimalPlaces(12).toFixed(), baseline: baseline.toDecimalPlaces(12).toFixed() });
          streak = { last: h.t, baseline };
        } else streak = null;
      } else streak = null;
      baseCost = baseCost.plus(h.cost);
      baseRequests += h.requests;
    }
    if (hot.length) result.set(endpoint, hot);
  }
  return result;
}

/** Runs of consecutive hours, each at least `min` long. */
export function sustainedRuns(hours: readonly IncidentHour[], min: number): IncidentHour[][] {
  const runs: IncidentHour[][] = [];
  let cur: IncidentHour[] = [];
  for (const h of hours) {
    const prev = cur[cur.length - 1];
    if (prev && Date.parse(h.hour) - Date.parse(prev.hour) === 3_600_000) cur.push(h);
    else {
      if (cur.length >= min) runs.push(cur);
      cur = [h];
    }
  }
  if (cur.length >= min) runs.push(cur);
  return runs;
}

export async function detectIncidents(db: Db, opts: DetectOptions = {}): Promise<DetectResult> {
  const s = detectionSettings(opts);
  const to = opts.to ?? new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000);
  const from = opts.from ?? new Date(to.getTime() - 48 * 3_600_000);
  const result: DetectResult = { opened: [], extended: [], scanned: { from: from.toISOString(), to: to.toISOString() } };
  await withTransaction(async (client) => {
    await client.query("SELECT pg_advisory_xact_lock($1)", [LOCK_KEY]);
    const hot = await hotHours(client, from, to, s.factor, s.minRequests);
    for (const [endpoint, hours] of hot) {
      const last = await client.query<{ end: Date | null }>(`SELECT max(window_end) AS end FROM cost_incidents WHERE endpoint = $1 AND status = 'resolved'`, [endpoint]);
      const resolvedUntil = last.rows[0]?.end?.getTime() ?? -Infinity;
      const fresh = hours.filter((h) => Date.parse(h.hour) >= resolvedUntil);
      for (const run of sustainedRuns(fresh, s.hours)) {
        const start = new Date(run[0]!.hour);
        const end = new Date(Date.parse(run[run.length - 1]!.hour) + 3_600_000);
        const open = await client.query<{ id: string; hours: IncidentHour[]; window_start: Date; window_end: Date }>(
          `SELECT id, hours, window_start, window_end FROM cost_incidents WHERE endpoint = $1 AND status = 'open' FOR UPDATE`,
          [endpoint],
        );
        const existing = open.rows[0];
        if (existing) {
          const merged = new Map(existing.hours.map((h) => [h.hour, h]));
          const before = merged.size;
          for (const h of run) merged.set(h.hour, h);
          const changed = merged.size !== before || start < existing.window_start || end > existing.window_end;
          if (!changed) continue;
          const all = [...merged.values()].sort((a, b) => a.hour.localeCompare(b.hour));
          await client.query(
            `UPDATE cost_incidents SET hours = $2::jsonb, window_start = least(window_start, $3), window_end = greatest(window_end, $4), updated_at = now() WHERE id = $1`,
            [existing.id, JSON.stringify(all), start, end],
          );
          if (!result.extended.includes(existing.id)) result.extended.push(existing.id);
        } else {
          const ins = await client.query<{ id: string }>(
            `INSERT INTO cost_incidents (endpoint, window_start, window_end, factor, hours, owner_id)
             SELECT $1, $2, $3, $4, $5::jsonb, (SELECT f.owner_id FROM endpoints e JOIN features f ON f.id = e.feature_id WHERE e.slug = $1)
             RETURNING id`,
            [endpoint, start, end, String(s.factor), JSON.stringify(run)],
          );
          const id = ins.rows[0]!.id;
          result.opened.push(id);
          await recordAudit(client, DETECTOR, [
            { action: "incident.open", entityType: "cost_incident", entityId: id, after: { endpoint, windowStart: start, windowEnd: end, factor: s.factor, hours: run } },
          ]);
          await notifyIncidentOpened(client, id);
        }
      }
    }
  }, { db });
  return result;
}
