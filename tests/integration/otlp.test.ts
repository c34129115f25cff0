// OTLP/HTTP trace ingest over real HTTP: the real OpenTelemetry exporters (JSON, protobuf, gzip)
// pointed at the running app, hand-written OTLP/JSON with exact costs, partial success, and refusals.
import { gzipSync } from "node:zlib";
import { SpanStatusCode, context, trace } from "@opentelemetry/api";
import { OTLPTraceExporter as OTLPHttpJsonExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { OTLPTraceExporter as OTLPProtoExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { CompressionAlgorithm } from "@opentelemetry/otlp-exporter-base";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BasicTracerProvider, SimpleSpanProcessor, type ReadableSpan, type SpanExporter } from "@opentelemetry/sdk-trace-base";
import Decimal from "decimal.js";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { DEMO_PASSWORD } from "@/lib/demo/generate-org";
import { decodeExportTraceResponse, decodeRpcStatus, exportTraceRequestType } from "@/lib/ingest/otlp-proto";
import { signIn } from "../support/http";

const baseUrl = inject("baseUrl");
const OTLP_URL = `${baseUrl}/api/v1/otlp/v1/traces`;
const db = new pg.Pool({ connectionString: inject("databaseUrl"), max: 1 });
const run = `otlp${Date.now()}`;
let ingestKey: string;

// gpt-4o-mini list prices per million tokens, written out here independently of the catalogue.
const GPT_4O_MINI = { input: "0.15", cacheRead: "0.075", output: "0.60" };

/** In the GenAI conventions input_tokens includes the cached tokens (OpenAI), so uncached input is the difference. */
function expectedCost(t: { input: number; cacheRead: number; output: number }): Decimal {
  return new Decimal(t.input - t.cacheRead)
    .mul(GPT_4O_MINI.input)
    .add(new Decimal(t.cacheRead).mul(GPT_4O_MINI.cacheRead))
    .add(new Decimal(t.output).mul(GPT_4O_MINI.output))
    .div(1_000_000);
}

beforeAll(async () => {
  const admin = await signIn(baseUrl, "admin@example.com", DEMO_PASSWORD);
  const res = await admin.fetch("/api/v1/api-keys", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ name: "otlp test", scope: "ingest" }) });
  ingestKey = ((await res.json()) as { key: string }).key;
});
afterAll(() => db.end());

/** Passes spans to the real exporter and keeps each export's result, so a failed export fails the test. */
class Recording implements SpanExporter {
  results: { code: number; error?: Error }[] = [];
  constructor(private readonly inner: SpanExporter) {}
  export(spans: ReadableSpan[], done: Parameters<SpanExporter["export"]>[1]): void {
    this.inner.export(spans, (result) => {
      this.results.push(result);
      done(result);
    });
  }
  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }
  forceFlush(): Promise<void> {
    return this.inner.forceFlush?.() ?? Promise.resolve();
  }
}

type Tokens = { input: number; cacheRead: number; output: number };

/** A request as an instrumented service traces it: an HTTP server span with a gen_ai client span inside. */
async function traceOneRequest(exporter: SpanExporter, requestId: string, tokens: Tokens) {
  const recording = new Recording(exporter);
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ "service.name": "chat-service", "cost_review.cohort": "pro" }),
    spanProcessors: [new SimpleSpanProcessor(recording)],
  });
  const tracer = provider.getTracer("otlp-integration-test");
  const root = tracer.startSpan("POST /chat", { attributes: { "http.request.method": "POST", "http.route": "/chat" } });
  const llm = tracer.startSpan(
    "chat gpt-4o-mini",
    {
      attributes: {
        "gen_ai.operation.name": "chat",
        "gen_ai.provider.name": "openai",
        "gen_ai.request.model": "gpt-4o-mini",
        "gen_ai.usage.input_tokens": tokens.input,
        "gen_ai.usage.cache_read.input_tokens": tokens.cacheRead,
        "gen_ai.usage.output_tokens": tokens.output,
        "cost_review.request_id": requestId,
        "cost_review.endpoint": "chat.answer",
      },
    },
    trace.setSpan(context.active(), root),
  );
  llm.setStatus({ code: SpanStatusCode.OK });
  llm.end();
  root.end();
  // forceFlush rejects when an export that was still under way failed; the tests look at the results.
  const flushError = await provider.forceFlush().then(() => null, (err: unknown) => err);
  await provider.shutdown();
  return { results: recording.results, flushError, traceId: llm.spanContext().traceId, spanId: llm.spanContext().spanId };
}

async function storedFor(traceId: string) {
  const { rows } = await db.query(
    `SELECT id, request_id, endpoint, feature, team, cohort, kind, provider, model, input_tokens::int, cache_read_tokens::int, output_tokens::int,
            cost_usd::text, cost_source, status
     FROM cost_events WHERE id LIKE $1 ORDER BY id`,
    [`otlp:${traceId}:%`],
  );
  return rows;
}

describe("the real OpenTelemetry exporters", () => {
  const cases = [
    { name: "OTLP/HTTP JSON", make: () => new OTLPHttpJsonExporter({ url: OTLP_URL, headers: { Authorization: `Bearer ${ingestKey}` } }) },
    { name: "OTLP/HTTP protobuf", make: () => new OTLPProtoExporter({ url: OTLP_URL, headers: { Authorization: `Bearer ${ingestKey}` } }) },
    {
      name: "OTLP/HTTP protobuf, gzip",
      make: () => new OTLPProtoExporter({ url: OTLP_URL, headers: { Authorization: `Bearer ${ingestKey}` }, compression: CompressionAlgorithm.GZIP }),
    },
    {
      name: "OTLP/HTTP JSON, gzip",
      make: () => new OTLPHttpJsonExporter({ url: OTLP_URL, headers: { Authorization: `Bearer ${ingestKey}` }, compression: CompressionAlgorithm.GZIP }),
    },
  ];

  it.each(cases)("$name: the gen_ai span is stored at its exact cost, the HTTP span is skipped", async ({ name, make }) => {
    const requestId = `${run}-${name.replace(/\W+/g, "-")}`;
    const tokens = { input: 1200, cacheRead: 200, output: 300 };
    const { results, flushError, traceId, spanId } = await traceOneRequest(make(), requestId, tokens);
    expect(flushError).toBeNull();
    expect(results.length).toBeGreaterThan(0);
    expect(results.map((r) => r.error?.message ?? r.code)).toEqual(results.map(() => 0)); // ExportResultCode.SUCCESS

    const rows = await storedFor(traceId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      id: `otlp:${traceId}:${spanId}`,
      request_id: requestId,
      endpoint: "chat.answer",
      feature: "chat",
      team: "assistant",
      cohort: "pro",
      kind: "llm",
      provider: "openai",
      model: "gpt-4o-mini",
      input_tokens: 1000,
      cache_read_tokens: 200,
      output_tokens: 300,
      cost_source: "estimated",
      status: "ok",
    });
    const want = expectedCost(tokens);
    expect(want.toString()).toBe("0.000345");
    expect(new Decimal(rows[0].cost_usd).equals(want), `${rows[0].cost_usd} vs ${want.toString()}`).toBe(true);
  });

  it("reports a failed export when the key is wrong, and stores nothing", async () => {
    const exporter = new OTLPProtoExporter({ url: OTLP_URL, headers: { Authorization: "Bearer cr_ingest_not-a-real-key" } });
    const { results, flushError, traceId } = await traceOneRequest(exporter, `${run}-bad-key`, { input: 10, cacheRead: 0, output: 1 });
    expect(results.length).toBeGreaterThan(0);
    expect(results.every((r) => r.code === 1)).toBe(true); // ExportResultCode.FAILED
    expect(results[0]!.error?.message).toMatch(/Unauthorized/);
    // When the export was still under way at the flush, the flush rejects with the same error.
    if (flushError) expect(String(flushError)).toMatch(/Unauthorized/);
    expect(await storedFor(traceId)).toHaveLength(0);
  });
});

// ---- OTLP by hand, over fetch ----

const TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
const spanIdOf = (n: number) => `${run.slice(-8).padStart(8, "0")}${n.toString(16).padStart(8, "0")}`.slice(-16);
const str = (key: string, v: string) => ({ key, value: { stringValue: v } });
const int = (key: string, v: number | string) => ({ key, value: { intValue: v } });

function jsonSpan(n: number, attributes: unknown[], traceId = TRACE) {
  return { traceId, spanId: spanIdOf(n), name: `span ${n}`, kind: 3, startTimeUnixNano: "1793953200000000000", endTimeUnixNano: "1793953200850000000", attributes, status: {} };
}

function exportRequest(spans: unknown[]) {
  return { resourceSpans: [{ resource: { attributes: [str("service.name", "by-hand")] }, scopeSpans: [{ scope: { name: "manual" }, spans }] }] };
}

const post = (body: BodyInit, headers: Record<string, string>) => fetch(OTLP_URL, { method: "POST", headers: { Authorization: `Bearer ${ingestKey}`, ...headers }, body });

describe("OTLP/JSON over HTTP", () => {
  const traceId = `${Date.now().toString(16)}`.padStart(32, "a").slice(-32);
  const good = jsonSpan(1, [
    str("gen_ai.provider.name", "openai"),
    str("gen_ai.request.model", "gpt-4o-mini"),
    str("gen_ai.response.model", "gpt-4o-mini-2024-07-18"),
    int("gen_ai.usage.input_tokens", "2500"),
    int("gen_ai.usage.cache_read.input_tokens", 1024),
    int("gen_ai.usage.output_tokens", 731),
    str("cost_review.request_id", `${run}-json`),
    str("cost_review.endpoint", "chat.answer"),
  ], traceId);
  const bad = jsonSpan(2, [str("gen_ai.provider.name", "openai"), str("gen_ai.request.model", "gpt-4o-mini"), int("gen_ai.usage.input_tokens", -5)], traceId);
  const plain = jsonSpan(3, [str("db.system", "postgresql")], traceId);

  it("stores the gen_ai span at its exact cost and answers partialSuccess naming the rejected span and field", async () => {
    const res = await post(JSON.stringify(exportRequest([good, bad, plain])), { "Content-Type": "application/json" });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/application\/json/);
    const body = (await res.json()) as { partialSuccess: { rejectedSpans: string; errorMessage: string } };
    expect(body.partialSuccess.rejectedSpans).toBe("1");
    expect(body.partialSuccess.errorMessage).toContain(`span ${spanIdOf(2)} (trace ${traceId})`);
    expect(body.partialSuccess.errorMessage).toMatch(/usage\.inputTokens: inputTokens must not be negative/);

    const rows = await storedFor(traceId);
    expect(rows.map((r) => r.id)).toEqual([`otlp:${traceId}:${spanIdOf(1)}`]);
    expect(rows[0]).toMatchObject({ model: "gpt-4o-mini-2024-07-18", input_tokens: 1476, cache_read_tokens: 1024, output_tokens: 731, feature: "chat" });
    const want = expectedCost({ input: 2500, cacheRead: 1024, output: 731 });
    expect(new Decimal(rows[0].cost_usd).equals(want), `${rows[0].cost_usd} vs ${want.toString()}`).toBe(true);
  });

  it("answers a retried export with full success and stores nothing twice", async () => {
    const res = await post(JSON.stringify(exportRequest([good, plain])), { "Content-Type": "application/json" });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({});
    expect(await storedFor(traceId)).toHaveLength(1);
  });

  it("takes a gzip-compressed body", async () => {
    const gz = jsonSpan(4, [str("gen_ai.provider.name", "openai"), str("gen_ai.request.model", "gpt-4o-mini"), int("gen_ai.usage.input_tokens", 100), str("cost_review.request_id", `${run}-gz`)], traceId);
    const res = await post(gzipSync(JSON.stringify(exportRequest([gz]))), { "Content-Type": "application/json", "Content-Encoding": "gzip" });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({});
    expect((await storedFor(traceId)).map((r) => r.id)).toContain(`otlp:${traceId}:${spanIdOf(4)}`);
  });

  it("answers an export with no gen_ai span with full success", async () => {
    const res = await post(JSON.stringify(exportRequest([jsonSpan(9, [str("http.route", "/x")], "c".repeat(32))])), { "Content-Type": "application/json" });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({});
    expect(await storedFor("c".repeat(32))).toHaveLength(0);
  });
});

describe("Anthropic spans: input tokens include the cache, as the conventions say, unless told otherwise", () => {
  // Claude Sonnet 4.5 list prices per million tokens (https://www.anthropic.com/pricing#api):
  // input $3, cache read $0.30, output $15.
  const PRICE = { input: new Decimal(3), cacheRead: new Decimal("0.30"), output: new Decimal(15) };
  const listCost = (t: { input: number; cacheRead: number; output: number }) =>
    PRICE.input.times(t.input).plus(PRICE.cacheRead.times(t.cacheRead)).plus(PRICE.output.times(t.output)).div(1_000_000);
  const traceId = "e".repeat(24) + Date.now().toString(16).slice(-8).padStart(8, "0");
  const anthropic = (n: number, request: string, usage: { input: number; cacheRead: number; output: number }, extra: unknown[] = []) =>
    jsonSpan(
      n,
      [
        str("gen_ai.provider.name", "anthropic"),
        str("gen_ai.request.model", "claude-sonnet-4-5"),
        int("gen_ai.usage.input_tokens", usage.input),
        int("gen_ai.usage.cache_read.input_tokens", usage.cacheRead),
        int("gen_ai.usage.output_tokens", usage.output),
        str("cost_review.request_id", `${run}-${request}`),
        ...extra,
      ],
      traceId,
    );

  it("bills each span once at list price, read back from the request's breakdown; a malformed declaration is refused by name", async () => {
    const spans = [
      // Spec-conformant (Logfire, OpenLLMetry today): 1,012 input of which 1,000 cache reads.
      anthropic(11, "spec", { input: 1012, cacheRead: 1000, output: 200 }),
      // An older instrumentation: Anthropic's own input_tokens (12), smaller than the cache reads.
      anthropic(12, "exclusive", { input: 12, cacheRead: 1000, output: 200 }),
      // Exclusive by declaration, where the numbers alone would read as inclusive.
      anthropic(13, "declared", { input: 1500, cacheRead: 1000, output: 200 }, [{ key: "cost_review.input_tokens_include_cache", value: { boolValue: false } }]),
      anthropic(14, "malformed", { input: 1500, cacheRead: 1000, output: 200 }, [str("cost_review.input_tokens_include_cache", "sometimes")]),
    ];
    const res = await post(JSON.stringify(exportRequest(spans)), { "Content-Type": "application/json" });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { partialSuccess: { rejectedSpans: string; errorMessage: string } };
    expect(body.partialSuccess.rejectedSpans).toBe("1");
    expect(body.partialSuccess.errorMessage).toContain("1 of 4 gen_ai spans rejected");
    expect(body.partialSuccess.errorMessage).toContain(`span ${spanIdOf(14)} (trace ${traceId}): cost_review.input_tokens_include_cache: must be true or false (got "sometimes")`);
    expect((await storedFor(traceId)).map((r) => r.id).sort()).toEqual([11, 12, 13].map((n) => `otlp:${traceId}:${spanIdOf(n)}`).sort());

    const admin = await signIn(baseUrl, "admin@example.com", DEMO_PASSWORD);
    const expected = {
      spec: listCost({ input: 12, cacheRead: 1000, output: 200 }),
      exclusive: listCost({ input: 12, cacheRead: 1000, output: 200 }),
      declared: listCost({ input: 1500, cacheRead: 1000, output: 200 }),
    };
    expect(expected.spec.toFixed()).toBe("0.003336");
    expect(expected.declared.toFixed()).toBe("0.0078");
    for (const [request, want] of Object.entries(expected)) {
      const r = await admin.fetch(`/api/v1/requests/${encodeURIComponent(`${run}-${request}`)}`);
      const breakdown = (await r.json()) as { events: { costUsd: string | null }[]; overhead: { costUsd: string }; gpu: { costUsd: string }; total: { costUsd: string } };
      expect(r.status, JSON.stringify(breakdown)).toBe(200);
      expect(breakdown.events.map((e) => new Decimal(e.costUsd!).toFixed()), request).toEqual([want.toFixed()]);
      // The total is the event's cost plus whatever overhead other tests configured (GPU: none).
      expect(new Decimal(breakdown.total.costUsd).toFixed(), request).toBe(want.plus(breakdown.overhead.costUsd).plus(breakdown.gpu.costUsd).toFixed());
    }
  });
});

describe("an OpenAI span served by flex", () => {
  it("is priced at the flex rates, the tier read from openai.response.service_tier", async () => {
    // OpenAI API pricing (https://platform.openai.com/docs/pricing), GPT-5 Flex per million tokens:
    // input 0.625, cached input 0.0625, output 5.00.
    const traceId = "f".repeat(24) + Date.now().toString(16).slice(-8).padStart(8, "0");
    const spanOf = jsonSpan(
      21,
      [
        str("gen_ai.provider.name", "openai"),
        str("gen_ai.request.model", "gpt-5"),
        int("gen_ai.usage.input_tokens", 10_000),
        int("gen_ai.usage.cache_read.input_tokens", 4_000),
        int("gen_ai.usage.output_tokens", 2_000),
        str("openai.response.service_tier", "flex"),
        str("cost_review.request_id", `${run}-flex`),
      ],
      traceId,
    );
    const res = await post(JSON.stringify(exportRequest([spanOf])), { "Content-Type": "application/json" });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({});
    const want = new Decimal(6_000).times("0.625").plus(new Decimal(4_000).times("0.0625")).plus(new Decimal(2_000).times("5.00")).div(1_000_000);
    const { rows } = await db.query<{ cost_usd: string; service_tier: string | null; cost_source: string }>("SELECT cost_usd::text, service_tier, cost_source FROM cost_events WHERE id = $1", [`otlp:${traceId}:${spanIdOf(21)}`]);
    expect(rows.map((r) => [r.service_tier, r.cost_source])).toEqual([["flex", "estimated"]]);
    expect(new Decimal(rows[0]!.cost_usd).equals(want), `${rows[0]!.cost_usd} vs ${want.toFixed()}`).toBe(true);
  });
});

describe("OTLP protobuf over HTTP", () => {
  const traceId = "d".repeat(24) + Date.now().toString(16).slice(-8).padStart(8, "0");

  it("answers partialSuccess as a protobuf ExportTraceServiceResponse", async () => {
    const type = exportTraceRequestType();
    const span = (n: number, input: number) => ({
      traceId: Buffer.from(traceId, "hex"),
      spanId: Buffer.from(spanIdOf(n), "hex"),
      name: "chat",
      startTimeUnixNano: "1793953200000000000",
      attributes: [
        { key: "gen_ai.provider.name", value: { stringValue: "openai" } },
        { key: "gen_ai.request.model", value: { stringValue: "gpt-4o-mini" } },
        { key: "gen_ai.usage.input_tokens", value: { intValue: input } },
        { key: "cost_review.request_id", value: { stringValue: `${run}-proto` } },
      ],
    });
    const bytes = type.encode(type.fromObject({ resourceSpans: [{ scopeSpans: [{ spans: [span(1, 400), span(2, -1)] }] }] })).finish();
    const res = await post(Buffer.from(bytes), { "Content-Type": "application/x-protobuf" });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/x-protobuf");
    const decoded = decodeExportTraceResponse(new Uint8Array(await res.arrayBuffer())) as { partialSuccess: { rejectedSpans: string; errorMessage: string } };
    expect(decoded.partialSuccess.rejectedSpans).toBe("1");
    expect(decoded.partialSuccess.errorMessage).toContain(`span ${spanIdOf(2)}`);
    const rows = await storedFor(traceId);
    expect(rows.map((r) => r.id)).toEqual([`otlp:${traceId}:${spanIdOf(1)}`]);
    expect(new Decimal(rows[0].cost_usd).equals(expectedCost({ input: 400, cacheRead: 0, output: 0 }))).toBe(true);
  });

  it("refuses a malformed protobuf body with 400 and a google.rpc.Status", async () => {
    const res = await post(Buffer.from([0x0a, 0x64, 0x01, 0x02, 0x03]), { "Content-Type": "application/x-protobuf" });
    expect(res.status).toBe(400);
    const status = decodeRpcStatus(new Uint8Array(await res.arrayBuffer()));
    expect(status.code).toBe(3);
    expect(status.message).toMatch(/not a protobuf ExportTraceServiceRequest/);
  });

  it("refuses a body that says gzip but is not, and a content type that is not OTLP", async () => {
    const notGzip = await post(Buffer.from("plain"), { "Content-Type": "application/x-protobuf", "Content-Encoding": "gzip" });
    expect(notGzip.status).toBe(400);
    const text = await post("hello", { "Content-Type": "text/plain" });
    expect(text.status).toBe(415);
    expect(((await text.json()) as { message: string }).message).toMatch(/application\/x-protobuf or application\/json/);
  });

  it("refuses malformed JSON with 400", async () => {
    const res = await post("{not json", { "Content-Type": "application/json" });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: 3, message: expect.stringMatching(/not valid JSON/) });
  });
});

describe("authentication", () => {
  const body = JSON.stringify(exportRequest([]));
  it("refuses a request without a key with 401", async () => {
    const res = await fetch(OTLP_URL, { method: "POST", headers: { "Content-Type": "application/json" }, body });
    expect(res.status).toBe(401);
  });

  it("refuses an invalid key with 401", async () => {
    const res = await fetch(OTLP_URL, { method: "POST", headers: { "Content-Type": "application/json", Authorization: "Bearer cr_ingest_nope" }, body });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("unauthenticated");
  });
});
