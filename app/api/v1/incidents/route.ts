// Cost incidents (review readers): GET ?status=open|resolved&endpoint=slug.
import { route } from "@/lib/auth/api";
import { listIncidents } from "@/lib/incidents/incidents";
import { listIncidentsQuery } from "@/lib/incidents/schemas";
import { pool } from "@/lib/db/client";

export const dynamic = "force-dynamic";

export const GET = route({ permission: "review.read", query: listIncidentsQuery }, async ({ query }) => Response.json({ incidents: await listIncidents(pool(), query) }));
