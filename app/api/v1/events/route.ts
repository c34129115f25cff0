// POST cost events (ingest key or admin): JSON {"events":[…]} or NDJSON. 200 when every event was
// accepted or already stored, 207 with per-row errors when some were not (the valid rows are stored).
import { route } from "@/lib/auth/api";
import { enforceRateLimit } from "@/lib/auth/rate-limit";
import { env } from "@/lib/env";
import { readLimitedText } from "@/lib/http/body";
import { parseIngestBody } from "@/lib/ingest/read-body";
import { ingestEvents } from "@/lib/ingest/store-events";
import { testDelayAfterCommit } from "@/lib/ingest/test-delay";

export const dynamic = "force-dynamic";

export const POST = route({ permission: "events.ingest" }, async ({ req, principal }) => {
  const e = env();
  if (principal.kind === "apikey") enforceRateLimit(principal.key.id, e.INGEST_RATE_LIMIT_PER_MINUTE);
  const text = await readLimitedText(req, e.INGEST_MAX_BYTES);
  const batch = parseIngestBody(text, req.headers.get("content-type") ?? "", e.INGEST_MAX_EVENTS);
  const result = await ingestEvents(batch.events, { rejected: batch.rejected });
  await testDelayAfterCommit(); // committed, not yet answered: a no-op outside the crash test
  // A small answer: not worth compressing (no-transform) and never to be cached.
  return Response.json(result, { status: result.rejected.length ? 207 : 200, headers: { "Cache-Control": "no-store, no-transform" } });
});
