// The hostile inputs of issue 12 (points 4 and 9), over real HTTP against the built app: each is a 4xx
// in the JSON error shape that names the field, and nothing of the refused request is stored.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { exportTraceRequestType } from "@/lib/ingest/otlp-proto";
import type { Session } from "../support/http";
import { signInEveryone, type PrincipalName } from "../support/principals";

const baseUrl = inject("baseUrl");
const db = new pg.Pool({ connectionString: inject("databaseUrl"), max: 1 });
const run = `hyg${Date.now()}`;
let as = new Map<PrincipalName, Session>();
let itemId = "";

type ErrorBody = { error: { code: string; message: string; errors?: { path: string; message: string }[] } };

async function refused(res: Response, status = 400): Promise<ErrorBody> {
  const text = await res.text();
  expect(res.status, text).toBe(status);
  expect(res.headers.get("content-type")).toMatch(/application\/json/);
  const body = JSON.parse(text) as ErrorBody;
  expect(typeof body.error.code).toBe("string");
  expect(body.error.message.length).toBeGreaterThan(10);
  return body;
}

const json = (method: string, body: string) => ({ method, headers: { "Content-Type": "application/json" }, body });
const count = async (sql: string, params: unknown[] = []) => (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM (${sql}) q`, params)).rows[0]!.n;

/** The session this file opened for itself, if it had to: removed again at the end (see afterAll). */
let openedSession: string | null = null;

beforeAll(async () => {
  as = await signInEveryone(baseUrl, run);
  // A review item to comment on: open the last complete week's session when no item exists yet.
  if ((await count("SELECT id FROM review_items")) === 0) {
    const week = ((await (await as.get("admin")!.fetch("/api/v1/weekly")).json()) as { week: string }).week;
    const res = await as.get("admin")!.fetch("/api/v1/review-sessions", json("POST", JSON.stringify({ week })));
    if (res.status === 201) openedSession = ((await res.json()) as { session: { id: string } }).session.id;
  }
  itemId = (await db.query<{ id: string }>("SELECT id FROM review_items ORDER BY id LIMIT 1")).rows[0]?.id ?? "";
});

afterAll(async () => {
  // The review workflow's tests open that week's session themselves and expect to create it: leave none
  // behind, whichever order the files run in (items, comments and follow-ups go with it).
  if (openedSession) await db.query("DELETE FROM review_sessions WHERE id = $1", [openedSession]);
  await db.end();
});

describe("NUL and unpaired surrogates", () => {
  it("a viewer's comment with NUL is a 400 naming body.text, and no comment is stored", async () => {
    expect(itemId).not.toBe("");
    const before = await count("SELECT id FROM review_item_comments");
    for (const text of ['"a\\u0000b"', '"x\\ud800"', '"\\udfffy"']) {
      const body = await refused(await as.get("viewer")!.fetch(`/api/v1/review-items/${itemId}/comments`, json("POST", `{"text":${text}}`)));
      expect(body.error.code).toBe("invalid_request");
      expect(body.error.errors?.[0]?.path).toBe("body.text");
    }
    expect(await count("SELECT id FROM review_item_comments")).toBe(before);
  });

  it.each([
    ["releases", "/api/v1/releases?endpoint=a%00b", "query.endpoint"],
    ["incidents", "/api/v1/incidents?endpoint=%00", "query.endpoint"],
    ["quality", "/api/v1/quality?endpoint=chat%00", "query.endpoint"],
    ["targets", "/api/v1/targets?endpoint=%00", "query.endpoint"],
    ["gate", "/api/v1/gate?endpoint=chat.answer&since=2026-11-01T00:00:00Z&cohort=%00", "query.cohort"],
    ["GPU utilisation", "/api/v1/gpu-pools/utilisation?pool=a%00", "query.pool"],
    ["finance monthly", "/api/v1/finance/monthly?month=2026-01&team=%00", "query.team"],
    ["audit", "/api/v1/audit?entityType=%00", "query.entityType"],
  ])("the %s filter with NUL is a 400 naming %s", async (_, url, field) => {
    const body = await refused(await as.get("admin")!.fetch(url));
    expect(body.error.errors?.[0]?.path).toBe(field);
    expect(body.error.message).toContain(field);
  });

  it("write routes refuse NUL in any string field and store nothing", async () => {
    const admin = as.get("admin")!;
    const cases: [Session, string, string, string, string][] = [
      [as.get("key:ingest")!, "POST", "/api/v1/releases", `{"version":"${run}-v\\u0000","endpoints":["chat.answer"]}`, "body.version"],
      [admin, "POST", "/api/v1/users", `{"email":"${run}@example.com","name":"N\\u0000","role":"viewer","password":"a-long-password-1"}`, "body.name"],
      [admin, "POST", "/api/v1/api-keys", `{"name":"${run}-bad\\ud800","scope":"ingest"}`, "body.name"],
      [admin, "PUT", "/api/v1/targets", `{"endpoint":"chat.answer","targets":[{"cohort":"\\u0000","targetCost":"0.01"}]}`, "body.targets[0].cohort"],
      [admin, "POST", "/api/v1/gpu-pools", `{"name":"${run}\\u0000","hourlyUsd":"2.5","effectiveFrom":"2026-01-01T00:00:00Z"}`, "body.name"],
      [admin, "PUT", "/api/v1/finance/invoices", `{"month":"2026-01","invoices":[{"provider":"openai","amountUsd":"1","note":"\\u0000"}]}`, "body.invoices[0].note"],
      [as.get("owner")!, "POST", "/api/v1/follow-ups", `{"itemId":"${itemId}","title":"t\\u0000","assigneeId":"x","dueDate":"2026-12-01"}`, "body.title"],
    ];
    for (const [who, method, url, body, field] of cases) {
      const err = await refused(await who.fetch(url, json(method, body)));
      expect(err.error.errors?.[0]?.path, url).toBe(field);
    }
    expect(await count("SELECT id FROM releases WHERE version LIKE $1", [`${run}%`])).toBe(0);
    expect(await count("SELECT id FROM users WHERE email = $1", [`${run}@example.com`])).toBe(0);
    expect(await count("SELECT id FROM api_keys WHERE name LIKE $1", [`${run}-bad%`])).toBe(0);
    expect(await count("SELECT name FROM gpu_pools WHERE name LIKE $1", [`${run}%`])).toBe(0);
  });

  it("NUL in a path is a 400 naming path.requestId", async () => {
    const body = await refused(await as.get("viewer")!.fetch("/api/v1/requests/a%00b"));
    expect(body.error.errors?.[0]?.path).toBe("path.requestId");
  });
});

describe("bad percent-encoding", () => {
  it.each(["/api/v1/requests/%ff", "/api/v1/releases/%ED%A0%80", "/api/v1/incidents?endpoint=%ff", "/api/v1/me?x=%ED%A0%80", "/api/v1/weekly?week=2026-W4%ff"])("%s is a JSON 400", async (url) => {
    // A bad path is refused before routing, for anyone; a query after the guard has said who is asking.
    for (const who of ["viewer", "admin", ...(url.includes("?") ? [] : (["anonymous"] as const))] as const) await refused(await as.get(who)!.fetch(url));
  });

  it.each(["/requests/%ff", "/review/%00", "/review/%ff", "/releases/%ED%A0%80"])("the page %s is the app's not-found page, not a 500", async (url) => {
    const res = await as.get("admin")!.fetch(url);
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toMatch(/text\/html/);
  });
});

describe("dates", () => {
  it("GET /api/v1/quality?from=2026-02-30 is a 400 naming from", async () => {
    const body = await refused(await as.get("viewer")!.fetch("/api/v1/quality?from=2026-02-30&to=2026-03-05"));
    expect(body.error.errors?.map((e) => e.path)).toContain("from");
  });

  it.each([
    ["/api/v1/cost-per-request?from=x&to=y", ["from", "to"]],
    ["/api/v1/cost-per-request?from=2026-02-30&to=2026-03-10", ["from"]],
    ["/api/v1/cost-per-request?from=2026-01-01&to=2026-13-01", ["to"]],
    ["/api/v1/releases?from=2026-02-30", ["from"]],
  ])("%s is a 400 naming %j", async (url, fields) => {
    const body = await refused(await as.get("viewer")!.fetch(url));
    for (const f of fields) expect(body.error.errors?.map((e) => e.path).join(" ")).toContain(f);
  });

  it("a release shipped on 30 February is refused, not moved to March", async () => {
    const body = await refused(await as.get("key:ingest")!.fetch("/api/v1/releases", json("POST", JSON.stringify({ version: `${run}-feb30`, endpoints: ["chat.answer"], shippedAt: "2026-02-30T10:00:00Z" }))));
    expect(JSON.stringify(body.error)).toMatch(/shippedAt/);
    expect(await count("SELECT id FROM releases WHERE version = $1", [`${run}-feb30`])).toBe(0);
  });
});

describe("ingest bodies", () => {
  const ingest = () => as.get("key:ingest")!;
  const stored = (prefix: string) => count("SELECT id FROM event_ids WHERE id LIKE $1 UNION ALL SELECT id FROM cost_events WHERE id LIKE $1", [`${prefix}%`]);

  it("invalid UTF-8 is a 400 (two distinct ids would both have become U+FFFD), and nothing is stored", async () => {
    const prefix = `${run}-utf8-`;
    const head = Buffer.from(`{"events":[{"id":"${prefix}`);
    const tail = Buffer.from(`","timestamp":"2026-11-01T09:00:00Z","requestId":"${prefix}r","kind":"tool"}]}`);
    for (const bad of [[0xff], [0xfe], [0xed, 0xa0, 0x80], [0xc3]]) {
      const body = await refused(await ingest().fetch("/api/v1/events", { method: "POST", headers: { "Content-Type": "application/json" }, body: Buffer.concat([head, Buffer.from(bad), tail]) }));
      expect(body.error.code).toBe("invalid_encoding");
      expect(body.error.message).toMatch(/UTF-8/);
    }
    expect(await stored(prefix)).toBe(0);
  });

  it("costUsd as a number past 2^53, or with more digits than a double holds, is a 400 asking for a decimal string", async () => {
    const prefix = `${run}-money-`;
    for (const [i, cost] of ["9007199254740993", "0.12345678901234567891", "1e999"].entries()) {
      const event = `{"id":"${prefix}${i}","timestamp":"2026-11-01T09:00:00Z","requestId":"${prefix}r","kind":"tool","costUsd":${cost}}`;
      const asJson = await refused(await ingest().fetch("/api/v1/events", json("POST", `{"events":[{"id":"${prefix}ok${i}","timestamp":"2026-11-01T09:00:00Z","requestId":"${prefix}r","kind":"tool"},${event}]}`)));
      expect(asJson.error.errors?.[0]?.path).toBe("body.events[1].costUsd");
      expect(asJson.error.message).toMatch(/send it as a decimal string/);
      const asNdjson = await refused(await ingest().fetch("/api/v1/events", { method: "POST", headers: { "Content-Type": "application/x-ndjson" }, body: `${event}\n` }));
      expect(asNdjson.error.errors?.[0]?.path).toBe("body.events[0].costUsd");
    }
    expect(await stored(prefix)).toBe(0);
    // A decimal string is exact, to the last of its 12 decimals.
    const ok = await ingest().fetch("/api/v1/events", json("POST", JSON.stringify({ events: [{ id: `${prefix}exact`, timestamp: "2026-11-01T09:00:00Z", requestId: `${prefix}r`, kind: "tool", costUsd: "1234.123456789012" }] })));
    expect(ok.status).toBe(200);
    expect((await db.query<{ c: string }>("SELECT cost_usd::text AS c FROM cost_events WHERE id = $1", [`${prefix}exact`])).rows[0]?.c).toBe("1234.123456789012");
  });

  it("gpuSeconds of 1e308 is refused (it would take a whole pool-hour), and the event is not stored", async () => {
    const id = `${run}-gpu-huge`;
    const res = await ingest().fetch("/api/v1/events", json("POST", JSON.stringify({ events: [{ id, timestamp: "2026-11-01T09:00:00Z", requestId: `${id}-r`, kind: "gpu", pool: "a100", gpuSeconds: 1e308 }] })));
    expect(res.status).toBe(207);
    const body = (await res.json()) as { accepted: number; rejected: { errors: { path: string; message: string }[] }[] };
    expect(body.accepted).toBe(0);
    expect(body.rejected[0]!.errors).toContainEqual({ path: "events.0.gpuSeconds", message: "gpuSeconds must be at most 3,600,000" });
    expect(await stored(id)).toBe(0);
  });

  it("NUL in an OTLP attribute, as JSON or protobuf, is a 400 and stores nothing", async () => {
    const traceId = "e".repeat(24) + Date.now().toString(16).slice(-8).padStart(8, "0");
    const attrs = (v: string) => [
      { key: "gen_ai.provider.name", value: { stringValue: "openai" } },
      { key: "gen_ai.request.model", value: { stringValue: "gpt-4o-mini" } },
      { key: "gen_ai.usage.input_tokens", value: { intValue: 10 } },
      { key: "cost_review.request_id", value: { stringValue: v } },
    ];
    const asJson = JSON.stringify({
      resourceSpans: [{ scopeSpans: [{ spans: [{ traceId, spanId: "0000000000000001", name: "chat", startTimeUnixNano: "1793953200000000000", attributes: attrs(`${run}\u0000`) }] }] }],
    });
    const jsonRes = await ingest().fetch("/api/v1/otlp/v1/traces", json("POST", asJson));
    expect(jsonRes.status).toBe(400);
    expect(((await jsonRes.json()) as { message: string }).message).toMatch(/NUL/);
    const type = exportTraceRequestType();
    const span = { traceId: Buffer.from(traceId, "hex"), spanId: Buffer.from("0000000000000002", "hex"), name: "chat", startTimeUnixNano: "1793953200000000000", attributes: attrs(`${run}\u0000`) };
    const bytes = type.encode(type.fromObject({ resourceSpans: [{ scopeSpans: [{ spans: [span] }] }] })).finish();
    const protoRes = await ingest().fetch("/api/v1/otlp/v1/traces", { method: "POST", headers: { "Content-Type": "application/x-protobuf" }, body: Buffer.from(bytes) });
    expect(protoRes.status).toBe(400);
    expect(await stored(`otlp:${traceId}`)).toBe(0);
  });

  it("NUL in an uploaded quality CSV cell is a 400 naming the row and column, and nothing is stored", async () => {
    const csv = `day,endpoint,cohort,metric,value,samples\n2026-11-01,chat.answer,,${run}-ok,0.9,100\n2026-11-01,chat.answer,pro\u0000,${run}-nul,0.9,100\n`;
    const body = await refused(await ingest().fetch("/api/v1/quality", { method: "POST", headers: { "Content-Type": "text/csv" }, body: csv }));
    expect(body.error.errors?.[0]?.path).toMatch(/^body\.rows\[1\]\.cohort$/);
    expect(await count("SELECT metric FROM quality_metrics WHERE metric LIKE $1", [`${run}%`])).toBe(0);
  });
});
