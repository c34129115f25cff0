// Reads the audit log, newest first, filtered (action, actor, entity type, a range of UTC days) and paged
// with keysets on the id: the log grows forever, so a page never counts or skips rows, it continues
// from the last id seen (`before`, older entries) or the first (`after`, newer ones).
import { z } from "zod";
import { db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { badRequest, fieldErrors } from "@/lib/errors";
import { auditQuery } from "@/lib/audit/schemas";

export type AuditQuery = z.infer<typeof auditQuery>;

/** The query from URL parameters; a 400 naming the field when one is not valid. */
export function parseAuditQuery(params: Record<string, string | undefined>): AuditQuery {
  const parsed = auditQuery.safeParse(params);
  if (!parsed.success) throw badRequest("The audit log query is not valid.", fieldErrors(parsed.error.issues));
  return parsed.data;
}

export type AuditEntryView = {
  id: string;
  at: string;
  actorId: string | null;
  actorLabel: string;
  action: string;
  entityType: string;
  entityId: string | null;
  before: unknown;
  after: unknown;
};

export type AuditPage = {
  entries: AuditEntryView[];
  /** Pass as `before` for the next (older) page; null on the oldest page. */
  older: string | null;
  /** Pass as `after` for the previous (newer) page; null on the newest page. */
  newer: string | null;
};

const addDay = (d: string) => new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000);

function where(q: Omit<Partial<AuditQuery>, "limit">): Prisma.AuditLogWhereInput {
  const w: Prisma.AuditLogWhereInput = {};
  if (q.entityType) w.entityType = q.entityType;
  // "review_session" finds review_session.close and review_session.reopen; a full name finds itself.
  if (q.action) w.action = { startsWith: q.action };
  if (q.actor) w.actorLabel = { contains: q.actor, mode: "insensitive" };
  if (q.from || q.to) w.at = { ...(q.from ? { gte: new Date(`${q.from}T00:00:00Z`) } : {}), ...(q.to ? { lt: addDay(q.to) } : {}) };
  return w;
}

type Row = Awaited<ReturnType<ReturnType<typeof db>["auditLog"]["findMany"]>>[number];

const view = (e: Row): AuditEntryView => ({
  id: e.id.toString(),
  at: e.at.toISOString(),
  actorId: e.actorId,
  actorLabel: e.actorLabel,
  action: e.action,
  entityType: e.entityType,
  entityId: e.entityId,
  before: e.before,
  after: e.after,
});

/** One page of the audit log, newest first. */
export async function listAudit(q: Omit<Partial<AuditQuery>, "limit"> & { limit: number }): Promise<AuditPage> {
  const filter = where(q);
  const client = db().auditLog;
  let rows: Row[];
  if (q.after) {
    // Newer entries: the `limit` just above `after`, read upwards and shown newest first.
    rows = (await client.findMany({ where: { ...filter, id: { gt: q.after } }, orderBy: { id: "asc" }, take: q.limit + 1 })).reverse();
    const more = rows.length > q.limit;
    if (more) rows = rows.slice(1);
    const last = rows.at(-1);
    return {
      entries: rows.map(view),
      newer: more && rows[0] ? rows[0].id.toString() : null,
      older: last ? ((await client.findFirst({ where: { ...filter, id: { lt: last.id } }, select: { id: true } })) ? last.id.toString() : null) : null,
    };
  }
  rows = await client.findMany({ where: { ...filter, ...(q.before ? { id: { lt: q.before } } : {}) }, orderBy: { id: "desc" }, take: q.limit + 1 });
  const more = rows.length > q.limit;
  if (more) rows = rows.slice(0, q.limit);
  const first = rows[0];
  return {
    entries: rows.map(view),
    older: more ? rows.at(-1)!.id.toString() : null,
    newer: q.before && first ? ((await client.findFirst({ where: { ...filter, id: { gt: first.id } }, select: { id: true } })) ? first.id.toString() : null) : null,
  };
}

/** The action names in the log, for the filter's choices. */
export async function auditActions(): Promise<string[]> {
  const rows = await db().auditLog.findMany({ distinct: ["action"], select: { action: true }, orderBy: { action: "asc" } });
  return rows.map((r) => r.action);
}
