// The audit log: who did what, when, with the before and after state.
import type pg from "pg";
import type { Prisma, PrismaClient } from "@/lib/generated/prisma/client";

export type Actor = { id?: string | null; label: string };

type Tx = Pick<PrismaClient, "auditLog"> | Prisma.TransactionClient;

export type AuditEntry = {
  action: string;
  entityType: string;
  entityId?: string | null;
  before?: unknown;
  after?: unknown;
};

const json = (v: unknown) => (v === undefined || v === null ? undefined : (JSON.parse(JSON.stringify(v)) as Prisma.InputJsonValue));

export async function recordAudit(tx: Tx, actor: Actor, entry: AuditEntry): Promise<void> {
  await tx.auditLog.create({
    data: {
      actorId: actor.id ?? null,
      actorLabel: actor.label,
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId ?? null,
      before: json(entry.before),
      after: json(entry.after),
    },
  });
}

/** The same entry, written with a pg client: for changes made in a raw-SQL transaction on that client. */
export async function recordAuditSql(client: pg.PoolClient, actor: Actor, entry: AuditEntry): Promise<void> {
  const asJson = (v: unknown) => (v === undefined || v === null ? null : JSON.stringify(v));
  await client.query(
    `INSERT INTO audit_log (actor_id, actor_label, action, entity_type, entity_id, before, after)
     VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb)`,
    [actor.id ?? null, actor.label, entry.action, entry.entityType, entry.entityId ?? null, asJson(entry.before), asJson(entry.after)],
  );
}
