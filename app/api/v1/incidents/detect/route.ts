// Run incident detection now (admins): optional {from, to} (ISO times) to scan other hours than the last 48.
import { route } from "@/lib/auth/api";
import { detectIncidents } from "@/lib/incidents/detect";
import { detectIncidentsSchema } from "@/lib/incidents/schemas";
import { pool } from "@/lib/db/client";

export const dynamic = "force-dynamic";

export const POST = route({ permission: "settings.manage", body: detectIncidentsSchema }, async ({ body }) => Response.json(await detectIncidents(pool(), body)));
