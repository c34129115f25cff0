// The audit log, newest first (admins): filtered by action (prefix), actor, entity type and a range of
// UTC days, paged with `before` (older) and `after` (newer) ids.
import { route } from "@/lib/auth/api";
import { listAudit, parseAuditQuery } from "@/lib/audit/list-audit";

export const dynamic = "force-dynamic";

export const GET = route({ permission: "audit.read" }, async ({ req }) => {
  const query = parseAuditQuery(Object.fromEntries(new URL(req.url).searchParams));
  return Response.json(await listAudit(query));
});
