// OTLP/HTTP trace receiver (ingest key or admin): point an OpenTelemetry exporter at
// <app>/api/v1/otlp/v1/traces with the header "Authorization: Bearer <ingest key>". Spans with
// gen_ai.* attributes become cost events (see lib/ingest/otlp-genai.ts); the others are skipped.
import { route } from "@/lib/auth/api";
import { enforceRateLimit } from "@/lib/auth/rate-limit";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { otlpErrorResponse, otlpResponse } from "@/lib/http/otlp";
import { decodeContentEncoding, decodeTraceRequest, exportResponse, otlpEncoding, traceRequestToEvents, unsupportedMediaType } from "@/lib/ingest/otlp-http";
import { readLimitedBytes } from "@/lib/http/body";
import { ingestEvents } from "@/lib/ingest/store-events";

export const dynamic = "force-dynamic";

export const POST = route({ permission: "events.ingest" }, async ({ req, principal }) => {
  const contentType = req.headers.get("content-type");
  const encoding = otlpEncoding(contentType);
  try {
    const e = env();
    if (principal.kind === "apikey") enforceRateLimit(principal.key.id, e.INGEST_RATE_LIMIT_PER_MINUTE);
    if (!encoding) throw unsupportedMediaType(contentType);
    const raw = await readLimitedBytes(req, e.INGEST_MAX_BYTES);
    const body = await decodeContentEncoding(raw, req.headers.get("content-encoding"), e.INGEST_MAX_BYTES);
    const batch = traceRequestToEvents(decodeTraceRequest(body, encoding), e.INGEST_MAX_EVENTS);
    const result = batch.events.length === 0 ? { accepted: 0, duplicates: 0, unpriced: 0, rejected: [] } : await ingestEvents(batch.events);
    return otlpResponse(encoding, exportResponse(result, batch.events, batch.refused));
  } catch (err) {
    // Refusals in OTLP's own error shape; anything unexpected becomes the usual 500.
    if (err instanceof AppError) return otlpErrorResponse(encoding ?? "json", err);
    throw err;
  }
});
