// The audit log, newest first (admins).
import { z } from "zod";
import { route } from "@/lib/auth/api";
import { badRequest, fieldErrors } from "@/lib/errors";
import { listAudit } from "@/lib/audit/list-audit";

export const dynamic = "force-dynamic";

const query = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  entityType: z.string().max(100).optional(),
  before: z.coerce.bigint({ message: "before must be an audit entry id (a whole number)" }).min(1n).max(9_223_372_036_854_775_807n, "before must be an audit entry id").optional(),
});

export const GET = route({ permission: "audit.read" }, async ({ req }) => {
  const parsed = query.safeParse(Object.fromEntries(new URL(req.url).searchParams));
  if (!parsed.success) throw badRequest("The query is not valid.", fieldErrors(parsed.error.issues));
  const entries = await listAudit(parsed.data);
  return Response.json({ entries: entries.map((e) => ({ ...e, id: e.id.toString() })) });
});
