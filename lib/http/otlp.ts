// The OTLP/HTTP answers (lib/ingest/otlp-http.ts decodes the request and builds the ExportTraceResponse):
// the response in the request's encoding, and errors as a google.rpc.Status with a gRPC code.
import type { AppError } from "@/lib/errors";
import type { OtlpEncoding } from "@/lib/ingest/otlp-http";
import { encodeExportTraceResponse, encodeRpcStatus, type ExportTraceResponse } from "@/lib/ingest/otlp-proto";

export function otlpResponse(encoding: OtlpEncoding, body: ExportTraceResponse): Response {
  if (encoding === "protobuf") {
    return new Response(Buffer.from(encodeExportTraceResponse(body)), { status: 200, headers: { "Content-Type": "application/x-protobuf" } });
  }
  const json = body.partialSuccess
    ? // int64 as a decimal string, per the proto3 JSON mapping OTLP/JSON uses.
      { partialSuccess: { rejectedSpans: String(body.partialSuccess.rejectedSpans), errorMessage: body.partialSuccess.errorMessage } }
    : {};
  return Response.json(json, { status: 200 });
}

/** gRPC status codes for the google.rpc.Status body of an error answer. */
function grpcCode(status: number): number {
  if (status === 400 || status === 413 || status === 415) return 3; // INVALID_ARGUMENT
  if (status === 401) return 16; // UNAUTHENTICATED
  if (status === 403) return 7; // PERMISSION_DENIED
  if (status === 429) return 8; // RESOURCE_EXHAUSTED
  if (status === 503) return 14; // UNAVAILABLE
  return 13; // INTERNAL
}

export function otlpErrorResponse(encoding: OtlpEncoding, err: AppError): Response {
  const headers: Record<string, string> = {};
  if (typeof err.details?.retryAfter === "number") headers["Retry-After"] = String(err.details.retryAfter);
  const code = grpcCode(err.status);
  if (encoding === "protobuf") {
    headers["Content-Type"] = "application/x-protobuf";
    return new Response(Buffer.from(encodeRpcStatus(code, err.message)), { status: err.status, headers });
  }
  return Response.json({ code, message: err.message }, { status: err.status, headers });
}
