// Cost incidents (review readers): GET ?status=open|resolved&endpoint=slug.
import { route } from "@/lib/auth/api";
import { listIncidents, listIncidentsQuery } from "@/lib/incidents/incidents";
import { pool } from "@/lib/db/client";

export const dynamic = "force-dynamic";

export const GET = route({ permission: "review.read", query: listIncidentsQuery }, async ({ query }) => Response.json({ incidents: await listIncidents(pool(), query) }));
