// The release gate: GET ?endpoint=slug&since=ISO[&cohort=][&minRequests=30] for review readers and any
// API key (a CI pipeline holds an ingest key). Always 200 with {pass, status, reasons, …} when the query is valid.
import { route } from "@/lib/auth/api";
import { can, describe } from "@/lib/auth/principal";
import { forbidden } from "@/lib/errors";
import { evaluateGate } from "@/lib/targets/gate";

export const dynamic = "force-dynamic";

export const GET = route({ authenticated: true }, async ({ req, principal }) => {
  if (!can(principal, "review.read") && !can(principal, "events.ingest")) {
    throw forbidden(`The gate needs 'review.read' or an API key, which ${describe(principal)} does not have.`);
  }
  return Response.json(await evaluateGate(Object.fromEntries(new URL(req.url).searchParams)));
});
