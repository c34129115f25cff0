// Resolve a cost incident with a note: {note}. The owner of the endpoint's feature or an admin.
import { jsonBody, route } from "@/lib/auth/api";
import { resolveIncident } from "@/lib/incidents/incidents";

export const dynamic = "force-dynamic";

export const POST = route({ permission: "review.write" }, async ({ req, principal, params }) =>
  Response.json(await resolveIncident(params.id ?? "", await jsonBody(req), principal)),
);
