// OTLP/HTTP without a server: the protobuf subset against the SDK's own serializer, content types and
// encodings, and the partial-success response.
import { gzipSync } from "node:zlib";
import { ProtobufTraceSerializer } from "@opentelemetry/otlp-transformer";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { parseEvent } from "@/lib/ingest/event-schema";
import { otlpErrorResponse, otlpResponse } from "@/lib/http/otlp";
import { decodeContentEncoding, decodeTraceRequest, exportResponse, otlpEncoding, traceRequestToEvents } from "@/lib/ingest/otlp-http";
import { decodeExportTraceResponse, decodeRpcStatus, exportTraceRequestType } from "@/lib/ingest/otlp-proto";

function sdkSpans() {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const tracer = provider.getTracer("unit");
  const span = tracer.startSpan("chat gpt-4o-mini", {
    attributes: {
      "gen_ai.provider.name": "openai",
      "gen_ai.request.model": "gpt-4o-mini",
      "gen_ai.usage.input_tokens": 1200,
      "gen_ai.usage.cache_read.input_tokens": 200,
      "gen_ai.usage.output_tokens": 300,
      "cost_review.request_id": "req-unit",
      "cost_review.endpoint": "chat.answer",
      "other.list": [1, 2],
      "other.ratio": 0.5,
    },
  });
  span.end();
  tracer.startSpan("GET /health").end();
  return exporter.getFinishedSpans();
}

describe("the protobuf subset", () => {
  it("decodes what the OpenTelemetry SDK serializes, ids as bytes and times as exact strings", () => {
    const spans = sdkSpans();
    const bytes = ProtobufTraceSerializer.serializeRequest(spans)!;
    const payload = decodeTraceRequest(bytes, "protobuf");
    const { events, skipped } = traceRequestToEvents(payload, 100);
    expect(skipped).toBe(1);
    expect(events).toHaveLength(1);
    const ctx = spans[0]!.spanContext();
    const [sec, ns] = spans[0]!.startTime;
    expect(events[0]).toMatchObject({
      id: `otlp:${ctx.traceId}:${ctx.spanId}`,
      requestId: "req-unit",
      endpoint: "chat.answer",
      provider: "openai",
      model: "gpt-4o-mini",
      usage: { inputTokens: 1000, cacheReadTokens: 200, cacheWriteTokens: 0, outputTokens: 300, reasoningTokens: 0 },
      timestamp: new Date(sec * 1000).toISOString().replace(/\.000Z$/, `.${String(ns).padStart(9, "0")}Z`),
    });
    expect(parseEvent(events[0], 0).ok).toBe(true);
  });

  it("round-trips a request through the project's own definition", () => {
    const type = exportTraceRequestType();
    const message = type.fromObject({
      resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: Buffer.alloc(16, 1), spanId: Buffer.alloc(8, 2), startTimeUnixNano: "1741083072123456789", attributes: [{ key: "gen_ai.usage.input_tokens", value: { intValue: 5 } }] }] }] }],
    });
    const decoded = decodeTraceRequest(type.encode(message).finish(), "protobuf");
    const { events } = traceRequestToEvents(decoded, 100);
    expect(events[0]).toMatchObject({ id: `otlp:${"01".repeat(16)}:${"02".repeat(8)}`, timestamp: "2025-03-04T10:11:12.123456789Z", usage: { inputTokens: 5 } });
  });

  it("refuses bytes that are not a request with 400", () => {
    for (const bad of [Buffer.from([0x0a, 0x64, 0x01, 0x02]), Buffer.from("this is not protobuf")]) {
      expect(() => decodeTraceRequest(bad, "protobuf")).toThrow(expect.objectContaining({ status: 400, message: expect.stringMatching(/not a protobuf ExportTraceServiceRequest/) }));
    }
  });
});

describe("OTLP/JSON bodies", () => {
  it("refuses what is not JSON or not a request object", () => {
    expect(() => decodeTraceRequest(Buffer.from("{"), "json")).toThrow(expect.objectContaining({ status: 400 }));
    expect(() => decodeTraceRequest(Buffer.from("[]"), "json")).toThrow(expect.objectContaining({ status: 400 }));
    expect(() => decodeTraceRequest(Buffer.from('{"resourceSpans":{}}'), "json")).toThrow(/resourceSpans must be an array/);
    expect(decodeTraceRequest(Buffer.from("{}"), "json")).toEqual({});
  });

  it("limits the gen_ai spans per request like the events route limits events", () => {
    const span = (n: number) => ({ traceId: "ab".repeat(16), spanId: n.toString(16).padStart(16, "0"), attributes: [{ key: "gen_ai.request.model", value: { stringValue: "m" } }] });
    const payload = { resourceSpans: [{ scopeSpans: [{ spans: [span(1), span(2), span(3)] }] }] };
    expect(() => traceRequestToEvents(payload, 2)).toThrow(expect.objectContaining({ status: 413 }));
  });
});

describe("content types and encodings", () => {
  it("knows the two OTLP encodings", () => {
    expect(otlpEncoding("application/json; charset=utf-8")).toBe("json");
    expect(otlpEncoding("application/x-protobuf")).toBe("protobuf");
    expect(otlpEncoding("Application/Protobuf")).toBe("protobuf");
    expect(otlpEncoding("text/plain")).toBeNull();
    expect(otlpEncoding(null)).toBeNull();
  });

  it("gunzips within the byte limit and refuses bad gzip, bombs and unknown encodings", async () => {
    const text = Buffer.from('{"resourceSpans":[]}');
    expect(Buffer.from(await decodeContentEncoding(gzipSync(text), "gzip", 1024)).toString()).toBe(text.toString());
    expect(await decodeContentEncoding(text, null, 1024)).toBe(text);
    await expect(decodeContentEncoding(text, "gzip", 1024)).rejects.toMatchObject({ status: 400 });
    await expect(decodeContentEncoding(gzipSync(Buffer.alloc(100_000)), "gzip", 1024)).rejects.toMatchObject({ status: 413 });
    await expect(decodeContentEncoding(text, "br", 1024)).rejects.toMatchObject({ status: 415 });
  });
});

describe("responses", () => {
  const events = [{ id: `otlp:${"a".repeat(32)}:${"b".repeat(16)}` }, { id: "x" }, {}];

  it("is empty on full success", async () => {
    expect(exportResponse({ accepted: 2, duplicates: 1, unpriced: 0, rejected: [] }, events)).toEqual({});
    expect(await otlpResponse("json", {}).json()).toEqual({});
    const proto = otlpResponse("protobuf", {});
    expect(proto.headers.get("content-type")).toBe("application/x-protobuf");
    expect((await proto.arrayBuffer()).byteLength).toBe(0);
  });

  it("names each rejected span, its field and the reason in partialSuccess", async () => {
    const body = exportResponse(
      {
        accepted: 1,
        duplicates: 0,
        unpriced: 0,
        rejected: [
          { index: 0, id: events[0]!.id!, errors: [{ path: "events.0.usage.inputTokens", message: "inputTokens must not be negative, got -5" }] },
          { index: 2, id: null, errors: [{ path: "events.2.id", message: "id is required" }, { path: "events.2.timestamp", message: "timestamp is required" }] },
        ],
      },
      events,
    );
    expect(body.partialSuccess?.rejectedSpans).toBe(2);
    expect(body.partialSuccess?.errorMessage.split("\n")).toEqual([
      "2 of 3 gen_ai spans rejected (the others were stored):",
      `span ${"b".repeat(16)} (trace ${"a".repeat(32)}): usage.inputTokens: inputTokens must not be negative, got -5`,
      "span #3 (no trace or span id): id: id is required; timestamp: timestamp is required",
    ]);
    expect(await otlpResponse("json", body).json()).toEqual({ partialSuccess: { rejectedSpans: "2", errorMessage: body.partialSuccess!.errorMessage } });
    const proto = decodeExportTraceResponse(new Uint8Array(await otlpResponse("protobuf", body).arrayBuffer()));
    expect(proto).toEqual({ partialSuccess: { rejectedSpans: "2", errorMessage: body.partialSuccess!.errorMessage } });
  });

  it("answers errors with a google.rpc.Status in the request's encoding", async () => {
    const err = new AppError("rate_limited", 429, "slow down", { retryAfter: 3 });
    const json = otlpErrorResponse("json", err);
    expect(json.status).toBe(429);
    expect(json.headers.get("retry-after")).toBe("3");
    expect(await json.json()).toEqual({ code: 8, message: "slow down" });
    const proto = otlpErrorResponse("protobuf", new AppError("invalid_body", 400, "bad bytes"));
    expect(decodeRpcStatus(new Uint8Array(await proto.arrayBuffer()))).toEqual({ code: 3, message: "bad bytes" });
  });
});
