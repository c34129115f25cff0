// The audit log written with plain SQL on a pg connection, for changes that run inside a raw SQL
// transaction (bulk updates with unnest, which the Prisma client cannot express): the same rows
// recordAudit writes, committed or rolled back together with the change they describe.
import type pg from "pg";
import type { Actor, AuditEntry } from "@/lib/audit/record-audit";

const json = (v: unknown) => (v === undefined || v === null ? null : JSON.stringify(v));

/** Writes the entries in one statement, in order. */
export async function recordAuditSql(client: pg.PoolClient, actor: Actor, entries: readonly AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await client.query(
    `INSERT INTO audit_log (actor_id, actor_label, action, entity_type, entity_id, before, after)
     SELECT $1::uuid, $2, t.action, t.entity_type, t.entity_id, t.before::jsonb, t.after::jsonb
     FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[]) WITH ORDINALITY AS t(action, entity_type, entity_id, before, after, n)
     ORDER BY t.n`,
    [
      actor.id ?? null,
      actor.label,
      entries.map((e) => e.action),
      entries.map((e) => e.entityType),
      entries.map((e) => e.entityId ?? null),
      entries.map((e) => json(e.before)),
      entries.map((e) => json(e.after)),
    ],
  );
}
