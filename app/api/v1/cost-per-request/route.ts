// GET cost per request over a range: ?from=2026-11-01&to=2026-11-08&groupBy=endpoint,cohort (any of
// endpoint, feature, team, cohort, model, provider). `to` is exclusive; dates are UTC unless they carry a zone.
import { route } from "@/lib/auth/api";
import { pool } from "@/lib/db/client";
import { costPerRequest } from "@/lib/rollups/cost-per-request";
import { costPerRequestQuery } from "@/lib/rollups/schemas";

export const dynamic = "force-dynamic";

export const GET = route({ permission: "review.read", query: costPerRequestQuery }, async ({ query }) => {
  const { from, to, groupBy } = query;
  const result = await costPerRequest(pool(), from, to, groupBy);
  return Response.json({ from: from.toISOString(), to: to.toISOString(), groupBy, ...result });
});
