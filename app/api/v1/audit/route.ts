// The audit log, newest first (admins): filtered by action (prefix), actor, entity type and a range of
// UTC days, paged with `before` (older) and `after` (newer) ids.
import { route } from "@/lib/auth/api";
import { listAudit } from "@/lib/audit/list-audit";
import { auditQuery } from "@/lib/audit/schemas";

export const dynamic = "force-dynamic";

export const GET = route({ permission: "audit.read", query: auditQuery }, async ({ query }) => {
  return Response.json(await listAudit(query));
});
