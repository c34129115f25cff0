// The audit log's query: newest first, paged by entry id.
import { z } from "zod";

export const auditQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  entityType: z.string().max(100).optional(),
  before: z.coerce.bigint({ message: "before must be an audit entry id (a whole number)" }).min(1n).max(9_223_372_036_854_775_807n, "before must be an audit entry id").optional(),
});
