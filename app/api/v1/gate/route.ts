// The release gate: GET ?endpoint=slug&since=ISO[&cohort=][&minRequests=30] for review readers and any
// API key (a CI pipeline holds an ingest key). Always 200 with {pass, status, reasons, …} when the query is valid.
import { route } from "@/lib/auth/api";
import { evaluateGate } from "@/lib/releases/gate";
import { gateQuery } from "@/lib/releases/schemas";
import { pool } from "@/lib/db/client";

export const dynamic = "force-dynamic";

export const GET = route(
  { anyPermission: ["review.read", "events.ingest"], refused: "The gate needs 'review.read' or an API key", query: gateQuery },
  async ({ query }) => Response.json(await evaluateGate(pool(), query)),
);
