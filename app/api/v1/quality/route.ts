// Quality metrics. POST (ingest or admin key, admins): rows as JSON or CSV; 200 when all were stored,
// 207 with per-row errors otherwise (the valid rows are stored). GET (review readers): ?endpoint=&metric=&from=&to=.
import { route } from "@/lib/auth/api";
import { enforceRateLimit } from "@/lib/auth/rate-limit";
import { env } from "@/lib/env";
import { readLimitedText } from "@/lib/http/body";
import { postQuality } from "@/lib/quality/quality-api";
import { listQuality } from "@/lib/quality/read-quality";
import { qualityQuery } from "@/lib/quality/schemas";
import { pool } from "@/lib/db/client";

export const dynamic = "force-dynamic";

export const POST = route({ permission: "events.ingest" }, async ({ req, principal }) => {
  if (principal.kind === "apikey") enforceRateLimit(principal.key.id, env().INGEST_RATE_LIMIT_PER_MINUTE);
  const result = await postQuality(pool(), await readLimitedText(req, env().INGEST_MAX_BYTES), req.headers.get("content-type") ?? "");
  return Response.json(result, { status: result.rejected.length ? 207 : 200 });
});

export const GET = route({ permission: "review.read", query: qualityQuery }, async ({ query }) =>
  Response.json(await listQuality(pool(), query)),
);
