// The audit log: who did what, when, with the before and after state. The one writer: it runs on the
// Db it is given, so inside withTransaction (lib/db/transaction.ts) the entries commit or roll back
// together with the change they describe, whether that change was made with Prisma or raw SQL.
import type { Db } from "@/lib/db/client";

export type Actor = { id?: string | null; label: string };

export type AuditEntry = {
  action: string;
  entityType: string;
  entityId?: string | null;
  before?: unknown;
  after?: unknown;
};

const json = (v: unknown) => (v === undefined || v === null ? null : JSON.stringify(v));

/** Writes one entry, or several in one statement (in order). */
export async function recordAudit(db: Db, actor: Actor, entries: AuditEntry | readonly AuditEntry[]): Promise<void> {
  const list: readonly AuditEntry[] = Array.isArray(entries) ? entries : [entries as AuditEntry];
  if (list.length === 0) return;
  await db.query(
    `INSERT INTO audit_log (actor_id, actor_label, action, entity_type, entity_id, before, after)
     SELECT $1::uuid, $2, t.action, t.entity_type, t.entity_id, t.before::jsonb, t.after::jsonb
     FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[]) WITH ORDINALITY AS t(action, entity_type, entity_id, before, after, n)
     ORDER BY t.n`,
    [
      actor.id ?? null,
      actor.label,
      list.map((e) => e.action),
      list.map((e) => e.entityType),
      list.map((e) => e.entityId ?? null),
      list.map((e) => json(e.before)),
      list.map((e) => json(e.after)),
    ],
  );
}
