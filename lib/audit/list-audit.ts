// Reads the audit log, newest first, with keyset paging.
import { db } from "@/lib/db/client";

export async function listAudit(opts: { limit: number; entityType?: string; before?: bigint }) {
  return db().auditLog.findMany({
    where: { entityType: opts.entityType, id: opts.before ? { lt: opts.before } : undefined },
    orderBy: { id: "desc" },
    take: opts.limit,
  });
}
