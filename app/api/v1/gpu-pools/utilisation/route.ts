// GPU pool utilisation (review readers): per pool-hour cost, requests, gpu seconds, utilisation and
// cost per request, newest first, and a summary per pool over the same range.
import { route } from "@/lib/auth/api";
import { gpuUtilisation } from "@/lib/pricing/gpu-utilisation";
import { gpuUtilisationQuery } from "@/lib/pricing/schemas";
import { pool as dbPool } from "@/lib/db/client";

export const dynamic = "force-dynamic";

export const GET = route({ permission: "review.read", query: gpuUtilisationQuery }, async ({ query }) => {
  const { pool, from, to, limit } = query;
  const result = await gpuUtilisation(dbPool(), { pool: pool ?? null, from: from ?? null, to: to ?? null, limit });
  return Response.json({ range: { pool: pool ?? null, from: from?.toISOString() ?? null, to: to?.toISOString() ?? null }, ...result });
});
