// Cost incidents (review readers): GET ?status=open|resolved&endpoint=slug.
import { route } from "@/lib/auth/api";
import { listIncidents } from "@/lib/incidents/incidents";

export const dynamic = "force-dynamic";

export const GET = route({ permission: "review.read" }, async ({ req }) =>
  Response.json({ incidents: await listIncidents(Object.fromEntries(new URL(req.url).searchParams)) }),
);
