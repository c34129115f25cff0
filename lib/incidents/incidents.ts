// Reading and resolving cost incidents. Resolving takes a note; the owner of the endpoint's feature (the
// triage owner) or an admin may resolve; it is audited.
import type { z } from "zod";
import type { listIncidentsQuery, resolveIncidentSchema } from "@/lib/incidents/schemas";
import type { Db } from "@/lib/db/client";
import { recordAudit } from "@/lib/audit/record-audit";
import { actorOf, type Principal } from "@/lib/auth/principal";
import { mayResolveIncident, userIdOf } from "@/lib/auth/policies";
import { conflict, forbidden, notFound } from "@/lib/errors";
import type { IncidentHour } from "@/lib/incidents/detect";
import { withTransaction } from "@/lib/db/transaction";

export type Incident = {
  id: string;
  endpoint: string;
  status: "open" | "resolved";
  openedAt: string;
  updatedAt: string;
  windowStart: string;
  windowEnd: string;
  factor: string;
  hours: IncidentHour[];
  /** The highest hourly cost per request in the incident. */
  peakCostPerRequest: string;
  owner: { id: string; name: string; email: string } | null;
  /** The owner of the endpoint's feature (who may resolve it besides the triage owner and admins). */
  featureOwnerId: string | null;
  resolvedAt: string | null;
  resolvedBy: string | null;
  resolutionNote: string | null;
  /** The releases of the endpoint from a day before the first hot hour to the end of the last. */
  releasesUrl: string;
};

type Row = {
  id: string;
  endpoint: string;
  status: "open" | "resolved";
  opened_at: Date;
  updated_at: Date;
  window_start: Date;
  window_end: Date;
  factor: string;
  hours: IncidentHour[];
  owner_id: string | null;
  owner_name: string | null;
  owner_email: string | null;
  feature_owner_id: string | null;
  resolved_at: Date | null;
  resolved_by: string | null;
  resolution_note: string | null;
};

const SELECT = `SELECT i.id, i.endpoint, i.status, i.opened_at, i.updated_at, i.window_start, i.window_end, i.factor::text, i.hours,
    i.owner_id, u.name AS owner_name, u.email AS owner_email, f.owner_id AS feature_owner_id,
    i.resolved_at, r.email AS resolved_by, i.resolution_note
  FROM cost_incidents i
  LEFT JOIN users u ON u.id = i.owner_id
  LEFT JOIN users r ON r.id = i.resolved_by_id
  LEFT JOIN endpoints e ON e.slug = i.endpoint
  LEFT JOIN features f ON f.id = e.feature_id`;

export function releasesUrl(endpoint: string, windowStart: Date, windowEnd: Date): string {
  const q = new URLSearchParams({ endpoint, from: new Date(windowStart.getTime() - 86_400_000).toISOString(), to: windowEnd.toISOString() });
  return `/releases?${q}`;
}

function toIncident(r: Row): Incident {
  const peak = r.hours.reduce((m, h) => (m === null || Number(h.costPerRequest) > Number(m) ? h.costPerRequest : m), null as string | null);
  return {
    id: r.id,
    endpoint: r.endpoint,
    status: r.status,
    openedAt: r.opened_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    windowStart: r.window_start.toISOString(),
    windowEnd: r.window_end.toISOString(),
    factor: r.factor.replace(/\.?0+$/, ""),
    hours: r.hours,
    peakCostPerRequest: peak ?? "0",
    owner: r.owner_id && r.owner_email ? { id: r.owner_id, name: r.owner_name ?? r.owner_email, email: r.owner_email } : null,
    featureOwnerId: r.feature_owner_id,
    resolvedAt: r.resolved_at?.toISOString() ?? null,
    resolvedBy: r.resolved_by,
    resolutionNote: r.resolution_note,
    releasesUrl: releasesUrl(r.endpoint, r.window_start, r.window_end),
  };
}

export async function listIncidents(db: Db, filter: z.output<typeof listIncidentsQuery>): Promise<Incident[]> {
  const { rows } = await db.query<Row>(
    `${SELECT} WHERE ($1::text IS NULL OR i.status = $1) AND ($2::text IS NULL OR i.endpoint = $2)
     ORDER BY (i.status = 'open') DESC, i.window_start DESC LIMIT 500`,
    [filter.status ?? null, filter.endpoint ?? null],
  );
  return rows.map(toIncident);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function getIncident(db: Db, id: string): Promise<Incident | null> {
  if (!UUID.test(id)) return null;
  const { rows } = await db.query<Row>(`${SELECT} WHERE i.id = $1`, [id]);
  return rows[0] ? toIncident(rows[0]) : null;
}

export async function resolveIncident(db: Db, id: string, body: z.output<typeof resolveIncidentSchema>, principal: Principal): Promise<Incident> {
  if (!UUID.test(id)) throw notFound(`Incident '${id}'`);
  await withTransaction(async (client) => {
    const { rows } = await client.query<Row>(`${SELECT} WHERE i.id = $1 FOR UPDATE OF i`, [id]);
    const row = rows[0];
    if (!row) throw notFound(`Incident '${id}'`);
    if (!mayResolveIncident(principal, { ownerId: row.owner_id, featureOwnerId: row.feature_owner_id })) {
      throw forbidden("Only the owner of the endpoint's feature or an admin may resolve this incident.");
    }
    if (row.status === "resolved") throw conflict("This incident is already resolved.");
    await client.query(
      `UPDATE cost_incidents SET status = 'resolved', resolved_at = now(), resolved_by_id = $2, resolution_note = $3, updated_at = now() WHERE id = $1`,
      [id, userIdOf(principal), body.note],
    );
    await recordAudit(client, actorOf(principal), [
      { action: "incident.resolve", entityType: "cost_incident", entityId: id, before: { status: "open" }, after: { status: "resolved", note: body.note } },
    ]);
  }, { db });
  return (await getIncident(db, id))!;
}
