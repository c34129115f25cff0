// Cost incidents: a sustained spike of an endpoint's hourly cost per request over its rolling baseline.
//
// An hour (UTC, by the request's first event) is hot when it has at least `minRequests` requests and
// its cost per request is more than `factor` × the baseline, the mean cost per request over the 7
// days before that hour (at least `minRequests` requests in them). `hours` consecutive hot hours open
// an incident for the endpoint, with the feature's owner as the triage owner. Detection is idempotent:
// runs are serialised by an advisory lock; an endpoint has at most one open incident (a unique index),
// which later hot runs extend; hours up to the end of a resolved incident are never reported again.
import type pg from "pg";
import { Decimal } from "decimal.js";
import { pool as defaultPool } from "@/lib/db/client";
import { recordAuditSql } from "@/lib/audit/record-audit-sql";
import { env } from "@/lib/env";

export type IncidentHour = { hour: string; requests: number; costPerRequest: string; baseline: string };
export type DetectOptions = { from?: Date; to?: Date; factor?: number; hours?: number; minRequests?: number };
export type DetectResult = { opened: string[]; extended: string[]; scanned: { from: string; to: string } };

const DETECTOR = { label: "incident-detector" };
const LOCK_KEY = 724_311_905;

export function detectionSettings(o: DetectOptions = {}) {
  const e = env();
  return { factor: o.factor ?? e.INCIDENT_FACTOR, hours: o.hours ?? e.INCIDENT_HOURS, minRequests: o.minRequests ?? e.INCIDENT_MIN_REQUESTS };
}

/** Hot hours in [from, to) per endpoint, oldest first. */
async function hotHours(client: pg.PoolClient, from: Date, to: Date, factor: number, minRequests: number): Promise<Map<string, IncidentHour[]>> {
  const { rows } = await client.query<{ endpoint: string; hour: Date; requests: number; cpr: string; baseline: string }>(
    `WITH hourly AS (
       SELECT endpoint, date_trunc('hour', first_ts, 'UTC') AS hour, count(*)::int AS requests, sum(total_cost) AS cost
       FROM request_facts
       WHERE endpoint IS NOT NULL AND first_ts >= $1::timestamptz - interval '7 days' AND first_ts < $2::timestamptz
       GROUP BY 1, 2),
     w AS (
       SELECT endpoint, hour, requests, cost, sum(cost) OVER b AS base_cost, sum(requests) OVER b AS base_requests
       FROM hourly
       WINDOW b AS (PARTITION BY endpoint ORDER BY hour RANGE BETWEEN interval '168 hours' PRECEDING AND interval '1 hour' PRECEDING))
     SELECT endpoint, hour, requests, round(cost / requests, 12)::text AS cpr, round(base_cost / base_requests, 12)::text AS baseline
     FROM w
     WHERE hour >= $1::timestamptz AND requests >= $4 AND base_requests >= $4
       AND cost / requests > $3::numeric * base_cost / base_requests
     ORDER BY endpoint, hour`,
    [from, to, String(factor), minRequests],
  );
  const by = new Map<string, IncidentHour[]>();
  for (const r of rows) {
    const list = by.get(r.endpoint) ?? [];
    list.push({ hour: r.hour.toISOString(), requests: r.requests, costPerRequest: new Decimal(r.cpr).toFixed(), baseline: new Decimal(r.baseline).toFixed() });
    by.set(r.endpoint, list);
  }
  return by;
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

export async function detectIncidents(opts: DetectOptions = {}, db: pg.Pool = defaultPool()): Promise<DetectResult> {
  const s = detectionSettings(opts);
  const to = opts.to ?? new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000);
  const from = opts.from ?? new Date(to.getTime() - 48 * 3_600_000);
  const result: DetectResult = { opened: [], extended: [], scanned: { from: from.toISOString(), to: to.toISOString() } };
  const client = await db.connect();
  try {
    await client.query("BEGIN");
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
             VALUES ($1, $2, $3, $4, $5::jsonb, (SELECT f.owner_id FROM endpoints e JOIN features f ON f.id = e.feature_id WHERE e.slug = $1))
             RETURNING id`,
            [endpoint, start, end, String(s.factor), JSON.stringify(run)],
          );
          const id = ins.rows[0]!.id;
          result.opened.push(id);
          await recordAuditSql(client, DETECTOR, [
            { action: "incident.open", entityType: "cost_incident", entityId: id, after: { endpoint, windowStart: start, windowEnd: end, factor: s.factor, hours: run } },
          ]);
        }
      }
    }
    await client.query("COMMIT");
  } catch (err) {
    await client.query("ROLLBACK").catch(() => {});
    throw err;
  } finally {
    client.release();
  }
  return result;
}
