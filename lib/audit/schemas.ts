// The audit log's query (API and page): filtered by action (prefix), actor, entity type and a range of
// UTC days, paged by entry id with `before` (older) or `after` (newer).
import { z } from "zod";

const MAX_ID = 9_223_372_036_854_775_807n;
const id = (name: string) =>
  z.coerce.bigint({ message: `${name} must be an audit entry id (a whole number)` }).min(1n, `${name} must be an audit entry id`).max(MAX_ID, `${name} must be an audit entry id`);
const day = (name: string) =>
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, `${name} must be a date (YYYY-MM-DD)`)
    .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), `${name} must be a real date`);
// An empty field of the page's filter form means "no filter".
const blank = (v: unknown) => (v === "" ? undefined : v);

export const auditQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    entityType: z.preprocess(blank, z.string().max(100).optional()),
    action: z.preprocess(blank, z.string().max(100).optional()),
    actor: z.preprocess(blank, z.string().max(200).optional()),
    from: z.preprocess(blank, day("from").optional()),
    to: z.preprocess(blank, day("to").optional()),
    before: z.preprocess(blank, id("before").optional()),
    after: z.preprocess(blank, id("after").optional()),
  })
  .refine((q) => !(q.from && q.to && q.from > q.to), { path: ["to"], message: "to must not be before from" })
  .refine((q) => !(q.before && q.after), { path: ["after"], message: "give before or after, not both" });
