// Resolve a cost incident with a note: {note}. The owner of the endpoint's feature or an admin.
import { route } from "@/lib/auth/api";
import { resolveIncident } from "@/lib/incidents/incidents";
import { resolveIncidentSchema } from "@/lib/incidents/schemas";
import { pool } from "@/lib/db/client";

export const dynamic = "force-dynamic";

export const POST = route({ permission: "review.write", body: resolveIncidentSchema }, async ({ body, principal, params }) =>
  Response.json(await resolveIncident(pool(), params.id ?? "", body, principal)),
);
