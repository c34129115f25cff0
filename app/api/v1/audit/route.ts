// The audit log, newest first (admins).
import { route } from "@/lib/auth/api";
import { listAudit } from "@/lib/audit/list-audit";
import { auditQuery } from "@/lib/audit/schemas";

export const dynamic = "force-dynamic";

export const GET = route({ permission: "audit.read", query: auditQuery }, async ({ query }) => {
  const entries = await listAudit(query);
  return Response.json({ entries: entries.map((e) => ({ ...e, id: e.id.toString() })) });
});
