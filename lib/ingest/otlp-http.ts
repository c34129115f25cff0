// OTLP/HTTP trace export, as the OpenTelemetry protocol specifies it: a JSON or protobuf
// ExportTraceServiceRequest (optionally gzip-compressed) in, an ExportTraceServiceResponse in the
// same encoding out, with partialSuccess naming the spans that were rejected and why.
/*
 * - Content-Type application/json → OTLP/JSON; application/x-protobuf (or application/protobuf) →
 *   binary protobuf. Anything else is 415, with a body that says which two are accepted.
 * - Content-Encoding gzip is decompressed, within the same byte limit as the compressed body.
 * - 200 with an empty response (JSON {}, protobuf zero bytes) when every gen_ai span was stored
 *   or was already stored; 200 with partialSuccess { rejectedSpans, errorMessage } when some were
 *   rejected (the rest are stored). Spans without gen_ai attributes are skipped, not rejected.
 * - 4xx answers carry a google.rpc.Status ({code, message}) in the request's encoding; 400 means
 *   the body could not be decoded and an exporter must not retry it. 429 carries Retry-After.
 */
import { promisify } from "node:util";
import { gunzip } from "node:zlib";
import { AppError } from "@/lib/errors";
import { assertSafeStrings, decodeUtf8 } from "@/lib/http/input";
import { otlpTracesToEvents, type OtlpMapResult, type RefusedSpan } from "@/lib/ingest/otlp-genai";
import { decodeExportTraceRequest, type ExportTraceResponse } from "@/lib/ingest/otlp-proto";
import { tooLarge } from "@/lib/http/body";
import type { IngestResult, RejectedRow } from "@/lib/ingest/store-events";
import { isRecord } from "@/lib/ingest/usage";

export type OtlpEncoding = "json" | "protobuf";

const gunzipAsync = promisify(gunzip);

/** The encoding a Content-Type names, or null when it is neither OTLP encoding. */
export function otlpEncoding(contentType: string | null): OtlpEncoding | null {
  const type = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
  if (type === "application/json") return "json";
  if (type === "application/x-protobuf" || type === "application/protobuf") return "protobuf";
  return null;
}

export function unsupportedMediaType(contentType: string | null): AppError {
  return new AppError(
    "unsupported_media_type",
    415,
    `Content-Type ${JSON.stringify(contentType ?? "")} is not an OTLP encoding: send application/x-protobuf or application/json.`,
  );
}

/** Undoes Content-Encoding (gzip or none), keeping the decompressed size within maxBytes. */
export async function decodeContentEncoding(body: Uint8Array, contentEncoding: string | null, maxBytes: number): Promise<Uint8Array> {
  const coding = (contentEncoding ?? "").trim().toLowerCase();
  if (coding === "" || coding === "identity") return body;
  if (coding !== "gzip" && coding !== "x-gzip") {
    throw new AppError("unsupported_media_type", 415, `Content-Encoding ${JSON.stringify(contentEncoding)} is not supported: send gzip or an uncompressed body.`);
  }
  try {
    return await gunzipAsync(body, { maxOutputLength: maxBytes });
  } catch (err) {
    if (err instanceof RangeError || (err as { code?: string }).code === "ERR_BUFFER_TOO_LARGE") throw tooLarge(maxBytes);
    throw new AppError("invalid_body", 400, `The body says Content-Encoding: gzip but is not valid gzip data (${(err as Error).message}).`);
  }
}

/** The request as a plain object in OTLP/JSON's shape; 400 when the bytes are not an ExportTraceServiceRequest. */
export function decodeTraceRequest(body: Uint8Array, encoding: OtlpEncoding): Record<string, unknown> {
  if (encoding === "protobuf") {
    let decoded: Record<string, unknown>;
    try {
      decoded = decodeExportTraceRequest(body);
    } catch (err) {
      throw new AppError("invalid_body", 400, `The body is not a protobuf ExportTraceServiceRequest: ${(err as Error).message}.`);
    }
    // Attribute text with NUL (or an unpaired surrogate) cannot be stored: the export is refused.
    assertSafeStrings(decoded, "body");
    return decoded;
  }
  let payload: unknown;
  const text = decodeUtf8(body);
  try {
    payload = JSON.parse(text);
  } catch (err) {
    throw new AppError("invalid_json", 400, `The body is not valid JSON: ${(err as Error).message}.`);
  }
  // Not checkJson: OTLP/JSON writes 64-bit nanosecond times as numbers, which only need millisecond precision here.
  assertSafeStrings(payload, "body");
  if (!isRecord(payload)) throw new AppError("invalid_body", 400, 'The body must be an OTLP/JSON ExportTraceServiceRequest: an object such as {"resourceSpans":[…]}.');
  const resourceSpans = payload.resourceSpans;
  if (resourceSpans !== undefined && resourceSpans !== null && !Array.isArray(resourceSpans)) {
    throw new AppError("invalid_body", 400, "resourceSpans must be an array.");
  }
  return payload;
}

export type TraceBatch = OtlpMapResult;

export function traceRequestToEvents(payload: Record<string, unknown>, maxEvents: number): TraceBatch {
  const batch = otlpTracesToEvents(payload);
  if (batch.events.length > maxEvents) {
    throw new AppError("payload_too_large", 413, `The export has ${batch.events.length} gen_ai spans; the limit is ${maxEvents} per request. Lower the exporter's batch size.`, {
      maxEvents,
    });
  }
  return batch;
}

const MAX_LISTED = 50;

/**
 * The response for an ingest result: empty on full success, else partialSuccess with one line per
 * rejected span: those refused while mapping (`refused`) first, then those ingest rejected.
 */
export function exportResponse(result: IngestResult, events: readonly unknown[], refused: readonly RefusedSpan[] = []): ExportTraceResponse {
  const rejected = [...refused.map((r) => ({ index: -1, id: r.id, errors: r.errors })), ...result.rejected];
  if (rejected.length === 0) return {};
  const lines = rejected.slice(0, MAX_LISTED).map((row) => describeRejection(row, events[row.index]));
  if (rejected.length > MAX_LISTED) lines.push(`… and ${rejected.length - MAX_LISTED} more`);
  const header = `${rejected.length} of ${events.length + refused.length} gen_ai spans rejected (the others were stored):`;
  return { partialSuccess: { rejectedSpans: rejected.length, errorMessage: [header, ...lines].join("\n") } };
}

function describeRejection(row: RejectedRow, event: unknown): string {
  const id = row.id ?? (isRecord(event) && typeof event.id === "string" ? event.id : null);
  const m = id ? /^otlp:([0-9a-f]+):([0-9a-f]+)$/.exec(id) : null;
  const span = m ? `span ${m[2]} (trace ${m[1]})` : id ? `span ${id}` : `span #${row.index + 1} (no trace or span id)`;
  const problems = row.errors.map((e) => {
    const field = e.path.replace(/^events\.\d+\.?/, "");
    return field ? `${field}: ${e.message}` : e.message;
  });
  return `${span}: ${problems.join("; ")}`;
}
