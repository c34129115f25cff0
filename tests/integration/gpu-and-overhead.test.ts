// Self-hosted GPU pools, overhead loading and the per-request cost breakdown, over real HTTP: events go
// in through POST /api/v1/events with an ingest key (which recomputes the pool-hours they touch), pool
// prices and overhead are managed through their APIs, and every figure is read back from the requests
// and utilisation APIs and compared exactly with decimal.js.
import Decimal from "decimal.js";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { DEMO_PASSWORD } from "@/lib/demo/generate-org";
import { signIn, withKey, type Session } from "../support/http";

const baseUrl = inject("baseUrl");
const db = new pg.Pool({ connectionString: inject("databaseUrl"), max: 1 });
const run = `gpu${Date.now()}`;
const POOL = `a100-${run}`;
const CLOSED_POOL = `h100-${run}`;
const CLOSED_MONTH = "2019-02";
let admin: Session;
let svc: Session;
let viewer: Session;

const json = (method: string, body?: unknown): RequestInit => ({
  method,
  headers: body === undefined ? undefined : { "Content-Type": "application/json" },
  body: body === undefined ? undefined : JSON.stringify(body),
});
const ingest = async (events: unknown[]) => {
  const res = await svc.fetch("/api/v1/events", json("POST", { events }));
  const body = await res.json();
  expect(res.status, JSON.stringify(body)).toBe(200);
  return body as { accepted: number; unpriced: number };
};

type Breakdown = {
  requestId: string;
  feature: string | null;
  complete: boolean;
  unpricedEvents: number;
  unpricedGpuShares: number;
  direct: { costUsd: string };
  gpu: { costUsd: string; shares: { pool: string; hour: string; gpuSeconds: number | null; costUsd: string | null; poolHour: { split: string; utilisation: number | null } }[] };
  overhead: { percent: string; source: string; feature: string | null; appliedTo: string; baseUsd: string; costUsd: string; note: string };
  total: { costUsd: string; note: string };
  events: { id: string; costUsd: string | null; costSource: string; priceEntry: { id: string; provider: string; model: string | null; version: number; source: string; effectiveFrom: string } | null }[];
};
const breakdown = async (requestId: string, who: Session = viewer): Promise<Breakdown> => {
  const res = await who.fetch(`/api/v1/requests/${encodeURIComponent(requestId)}`);
  const body = await res.json();
  expect(res.status, JSON.stringify(body)).toBe(200);
  return body as Breakdown;
};
const gpuOf = async (requestId: string) => (await breakdown(requestId)).gpu.costUsd;
const exactly = (actual: string | null, expected: string) => {
  expect(actual, `${actual} should be exactly ${expected}`).not.toBeNull();
  expect(new Decimal(actual!).equals(expected), `${actual} should be exactly ${expected}`).toBe(true);
};

// Hour 1: requests a (360 GPU s) and b (720 GPU s); hour 2: request c alone (100 GPU s); hour 3:
// requests d and e without gpuSeconds (equal split).
const H1 = "2026-10-05T10";
const H2 = "2026-10-05T11";
const H3 = "2026-10-05T12";
const req = (name: string) => `${run}-${name}`;
const gpuEvent = (id: string, requestId: string, ts: string, gpuSeconds: number | undefined, extra: Record<string, unknown> = {}) => ({
  id: `${run}-${id}`,
  timestamp: ts,
  requestId,
  kind: "gpu",
  pool: POOL,
  ...(gpuSeconds === undefined ? {} : { gpuSeconds }),
  ...extra,
});

let poolId = "";

beforeAll(async () => {
  admin = await signIn(baseUrl, "admin@example.com", DEMO_PASSWORD);
  viewer = await signIn(baseUrl, "viewer@example.com", DEMO_PASSWORD);
  const res = await admin.fetch("/api/v1/api-keys", json("POST", { name: "gpu test", scope: "ingest" }));
  svc = withKey(baseUrl, ((await res.json()) as { key: string }).key);
});
afterAll(async () => {
  await admin.fetch("/api/v1/settings/overhead", json("PUT", { globalPercent: null, perFeature: {} }));
  await db.query("DELETE FROM closed_months WHERE month = $1", [`${CLOSED_MONTH}-01`]);
  await db.end();
});

describe("GPU pool prices", () => {
  it("refuse an invalid price with an error per field", async () => {
    const cases: [unknown, string, RegExp][] = [
      [{ name: POOL, hourlyUsd: 3.6, effectiveFrom: "2026-01-01T00:00:00Z" }, "hourlyUsd", /decimal string/],
      [{ name: POOL, hourlyUsd: "-1", effectiveFrom: "2026-01-01T00:00:00Z" }, "hourlyUsd", /negative/],
      [{ name: POOL, hourlyUsd: "abc", effectiveFrom: "2026-01-01T00:00:00Z" }, "hourlyUsd", /not a decimal/],
      [{ name: " ", hourlyUsd: "1", effectiveFrom: "2026-01-01T00:00:00Z" }, "name", /required/],
      [{ name: POOL, hourlyUsd: "1", effectiveFrom: "January" }, "effectiveFrom", /ISO 8601/],
      [{ name: POOL, hourlyUsd: "1", effectiveFrom: "2026-02-01T00:00:00Z", effectiveTo: "2026-01-01T00:00:00Z" }, "effectiveTo", /after effectiveFrom/],
    ];
    for (const [body, path, message] of cases) {
      const res = await admin.fetch("/api/v1/gpu-pools", json("POST", body));
      expect(res.status, JSON.stringify(body)).toBe(400);
      const err = ((await res.json()) as { error: { code: string; errors: { path: string; message: string }[] } }).error;
      expect(err.code).toBe("invalid_request");
      expect(err.errors.find((e) => e.path === path)?.message, JSON.stringify(err)).toMatch(message);
    }
  });

  it("creates a $3.60/hour pool price, audited, and refuses an overlapping one for the same pool", async () => {
    const res = await admin.fetch("/api/v1/gpu-pools", json("POST", { name: POOL, hourlyUsd: "3.60", effectiveFrom: "2026-01-01T00:00:00Z" }));
    const body = (await res.json()) as { pool: { id: string; hourlyUsd: string; effectiveTo: string | null }; recomputedHours: number };
    expect(res.status, JSON.stringify(body)).toBe(201);
    expect(body.pool).toMatchObject({ hourlyUsd: "3.6", effectiveTo: null });
    expect(body.recomputedHours).toBe(0);
    poolId = body.pool.id;

    const overlap = await admin.fetch("/api/v1/gpu-pools", json("POST", { name: POOL, hourlyUsd: "4", effectiveFrom: "2026-06-01T00:00:00Z" }));
    expect(overlap.status).toBe(400);
    const err = ((await overlap.json()) as { error: { errors: { path: string; message: string }[] } }).error;
    expect(err.errors[0]!.path).toBe("effectiveFrom");
    expect(err.errors[0]!.message).toMatch(/overlaps \$3\.6\/hour from 2026-01-01T00:00:00.000Z to open-ended/);

    const list = (await (await viewer.fetch("/api/v1/gpu-pools")).json()) as { pools: { id: string; name: string }[] };
    expect(list.pools.filter((p) => p.name === POOL).map((p) => p.id)).toEqual([poolId]);
    const audit = await db.query("SELECT actor_label, after FROM audit_log WHERE action = 'gpu_pool.create' AND entity_id = $1", [poolId]);
    expect(audit.rows[0]).toMatchObject({ actor_label: "admin@example.com", after: { name: POOL, hourlyUsd: "3.6" } });
  });

  it("spreads each pool-hour's full cost over its requests by GPU seconds: 360 s and 720 s of a $3.60 hour are $1.20 and $2.40", async () => {
    await ingest([
      { id: `${run}-a-llm`, timestamp: `${H1}:01:00Z`, requestId: req("a"), feature: "chat", provider: "openai", model: "gpt-4o-mini", costUsd: "0.3", usage: { inputTokens: 100 } },
      gpuEvent("a-gpu", req("a"), `${H1}:05:00Z`, 360, { feature: "chat" }),
      gpuEvent("b-gpu", req("b"), `${H1}:20:00Z`, 720, { feature: "summaries" }),
      gpuEvent("c-gpu", req("c"), `${H2}:30:00Z`, 100, { feature: "summaries" }),
      gpuEvent("d-gpu", req("d"), `${H3}:10:00Z`, undefined),
      gpuEvent("e-gpu", req("e"), `${H3}:40:00Z`, undefined),
    ]);
    const a = await breakdown(req("a"));
    const b = await breakdown(req("b"));
    exactly(a.gpu.costUsd, "1.2");
    exactly(b.gpu.costUsd, "2.4");
    expect(a.gpu.costUsd).toBe("1.2");
    expect(b.gpu.costUsd).toBe("2.4");
    expect(a.gpu.shares).toEqual([
      expect.objectContaining({ pool: POOL, hour: `${H1}:00:00.000Z`, gpuSeconds: 360, costUsd: "1.2", poolHour: expect.objectContaining({ split: "proportional", utilisation: 0.3 }) }),
    ]);
  });

  it("lets a request alone in its hour bear the whole hour, idle capacity included", async () => {
    exactly(await gpuOf(req("c")), "3.6");
  });

  it("splits an hour equally when its events carry no gpuSeconds", async () => {
    exactly(await gpuOf(req("d")), "1.8");
    exactly(await gpuOf(req("e")), "1.8");
    expect((await breakdown(req("d"))).gpu.shares[0]!.poolHour).toMatchObject({ split: "equal", utilisation: null });
  });

  it("reports utilisation per pool-hour, and low utilisation visibly raises the cost per request", async () => {
    const res = await viewer.fetch(`/api/v1/gpu-pools/utilisation?pool=${encodeURIComponent(POOL)}&from=2026-10-05T00:00:00Z&to=2026-10-06T00:00:00Z`);
    expect(res.status).toBe(200);
    type Hour = { hour: string; costUsd: string; requests: number; gpuSeconds: number | null; utilisation: number | null; costPerRequestUsd: string; idleUsd: string | null; status: string };
    const body = (await res.json()) as { hours: Hour[]; pools: { pool: string; hours: number; totalCostUsd: string; requests: number; meanUtilisation: number; costPerRequestUsd: string }[] };
    const at = (h: string) => body.hours.find((x) => x.hour === `${h}:00:00.000Z`)!;
    expect(body.hours.map((h) => h.hour)).toEqual([`${H3}:00:00.000Z`, `${H2}:00:00.000Z`, `${H1}:00:00.000Z`]);
    expect(at(H1)).toMatchObject({ status: "priced", requests: 2, gpuSeconds: 1080, utilisation: 0.3 });
    exactly(at(H1).costUsd, "3.6");
    exactly(at(H1).costPerRequestUsd, "1.8");
    exactly(at(H1).idleUsd, "2.52");
    expect(at(H2).utilisation).toBeCloseTo(100 / 3600, 12);
    exactly(at(H2).costPerRequestUsd, "3.6");
    expect(new Decimal(at(H2).costPerRequestUsd).greaterThan(at(H1).costPerRequestUsd)).toBe(true);
    expect(at(H3)).toMatchObject({ requests: 2, gpuSeconds: null, utilisation: null });
    exactly(at(H3).costPerRequestUsd, "1.8");

    expect(body.pools).toHaveLength(1);
    const s = body.pools[0]!;
    expect(s).toMatchObject({ pool: POOL, hours: 3, requests: 5 });
    exactly(s.totalCostUsd, "10.8");
    exactly(s.costPerRequestUsd, "2.16");
    expect(s.meanUtilisation).toBeCloseTo((0.3 + 100 / 3600) / 2, 12);

    const bad = await viewer.fetch("/api/v1/gpu-pools/utilisation?from=yesterday");
    expect(bad.status).toBe(400);
  });
});

describe("overhead and the request breakdown", () => {
  it("refuses an override for a feature that does not exist, naming it", async () => {
    const res = await admin.fetch("/api/v1/settings/overhead", json("PUT", { globalPercent: "10", perFeature: { chat: "25", "no-such-feature": "5" } }));
    expect(res.status).toBe(400);
    const err = ((await res.json()) as { error: { errors: { path: string; message: string }[] } }).error;
    expect(err.errors).toEqual([{ path: "perFeature.no-such-feature", message: expect.stringMatching(/not a feature.*chat/) }]);
    const bad = await admin.fetch("/api/v1/settings/overhead", json("PUT", { globalPercent: "-3" }));
    expect(bad.status).toBe(400);
    expect((await viewer.fetch("/api/v1/settings/overhead", json("PUT", { globalPercent: "1" }))).status).toBe(403);
  });

  it("applies 10 % globally and a 25 % feature override to direct + GPU, as its own component", async () => {
    const put = await admin.fetch("/api/v1/settings/overhead", json("PUT", { globalPercent: "10", perFeature: { chat: "25" } }));
    expect(put.status).toBe(200);
    const read = (await (await viewer.fetch("/api/v1/settings/overhead")).json()) as { overhead: unknown };
    expect(read.overhead).toEqual({ globalPercent: "10", perFeature: { chat: "25" } });
    const audit = await db.query("SELECT after FROM audit_log WHERE action = 'settings.overhead.update' ORDER BY id DESC LIMIT 1");
    expect(audit.rows[0].after).toEqual({ globalPercent: "10", perFeature: { chat: "25" } });

    // a: first event's feature is chat (25 %): direct 0.3 + GPU 1.2 = 1.5, overhead 0.375, total 1.875.
    const a = await breakdown(req("a"));
    expect(a).toMatchObject({ feature: "chat", complete: true, unpricedEvents: 0 });
    exactly(a.direct.costUsd, "0.3");
    exactly(a.gpu.costUsd, "1.2");
    expect(a.overhead).toMatchObject({ percent: "25", source: "feature", feature: "chat", appliedTo: "direct + gpu" });
    exactly(a.overhead.baseUsd, "1.5");
    exactly(a.overhead.costUsd, "0.375");
    exactly(a.total.costUsd, "1.875");
    expect(a.overhead.note).toMatch(/25% .*feature "chat".*direct \+ GPU/);

    // b: summaries has no override, so the global 10 %: GPU 2.4, overhead 0.24, total 2.64.
    const b = await breakdown(req("b"));
    expect(b.overhead).toMatchObject({ percent: "10", source: "global", feature: "summaries" });
    exactly(b.direct.costUsd, "0");
    exactly(b.overhead.costUsd, "0.24");
    exactly(b.total.costUsd, "2.64");
    for (const r of [a, b]) {
      expect(new Decimal(r.direct.costUsd).plus(r.gpu.costUsd).plus(r.overhead.costUsd).equals(r.total.costUsd)).toBe(true);
    }
  });

  it("lists each event with its cost and the price entry that produced it", async () => {
    await ingest([
      { id: `${run}-p1`, timestamp: `${H1}:30:00Z`, requestId: req("p"), endpoint: "chat.answer", provider: "openai", model: "gpt-4o-mini", usage: { inputTokens: 1000, outputTokens: 200 }, latencyMs: 420 },
      gpuEvent("p-gpu", req("p"), `${H1}:31:00Z`, 0),
    ]);
    const p = await breakdown(req("p"));
    expect(p.events).toHaveLength(2);
    const llm = p.events.find((e) => e.id === `${run}-p1`)!;
    expect(llm).toMatchObject({ costSource: "estimated", priceEntry: { provider: "openai", model: "gpt-4o-mini", version: expect.any(Number) } });
    expect(llm.priceEntry!.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(llm.priceEntry!.source.length).toBeGreaterThan(0);
    // gpt-4o-mini list price: $0.15 input, $0.60 output per million tokens.
    exactly(llm.costUsd, new Decimal(1000).mul("0.15").add(new Decimal(200).mul("0.6")).div(1e6).toString());
    expect(p.events.find((e) => e.id === `${run}-p-gpu`)).toMatchObject({ costSource: "gpu", costUsd: null, priceEntry: null });
    expect(p).toMatchObject({ feature: "chat", overhead: { percent: "25" } });
  });

  it("says complete: false when an event is unpriced, and leaves it out of the total", async () => {
    await ingest([
      { id: `${run}-u1`, timestamp: `${H1}:40:00Z`, requestId: req("u"), feature: "chat", provider: "openai", model: "gpt-4o-mini", costUsd: "0.5" },
      { id: `${run}-u2`, timestamp: `${H1}:41:00Z`, requestId: req("u"), provider: "acme", model: "in-house-13b", usage: { inputTokens: 500 } },
    ]);
    const u = await breakdown(req("u"));
    expect(u).toMatchObject({ complete: false, unpricedEvents: 1, unpricedGpuShares: 0 });
    exactly(u.direct.costUsd, "0.5");
    exactly(u.overhead.costUsd, "0.125");
    exactly(u.total.costUsd, "0.625");
    expect(u.total.note).toMatch(/excludes 1 unpriced event/);
    expect(u.events.find((e) => e.id === `${run}-u2`)).toMatchObject({ costSource: "unpriced", costUsd: null });
  });

  it("says complete: false for a GPU share of a pool without a price", async () => {
    await ingest([{ id: `${run}-n1`, timestamp: `${H1}:45:00Z`, requestId: req("n"), kind: "gpu", pool: `unpriced-${run}`, gpuSeconds: 60 }]);
    const n = await breakdown(req("n"));
    expect(n).toMatchObject({ complete: false, unpricedEvents: 0, unpricedGpuShares: 1 });
    expect(n.gpu.shares[0]!.costUsd).toBeNull();
    exactly(n.total.costUsd, "0");
  });

  it("answers 404 with a clear message for a request without events", async () => {
    const res = await viewer.fetch(`/api/v1/requests/${run}-nothing`);
    expect(res.status).toBe(404);
    const err = ((await res.json()) as { error: { code: string; message: string } }).error;
    expect(err.code).toBe("not_found");
    expect(err.message).toContain(`${run}-nothing`);
    const page = await viewer.fetch(`/requests/${run}-nothing`);
    expect(page.status).toBe(404);
  });

  it("finds a request whose id needs URL encoding, and shows its page", async () => {
    const odd = `${run}/odd id:%2F?#é`;
    await ingest([{ id: `${run}-odd`, timestamp: `${H1}:50:00Z`, requestId: odd, kind: "tool" }]);
    const r = await breakdown(odd);
    expect(r.requestId).toBe(odd);
    expect(r.direct.costUsd).toBe("0");
    const page = await viewer.fetch(`/requests/${encodeURIComponent(odd)}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("odd id:%2F?#é");
  });
});

describe("changing a pool price", () => {
  it("recomputes the pool-hours it governs, and is audited", async () => {
    const res = await admin.fetch(`/api/v1/gpu-pools/${poolId}`, json("PATCH", { hourlyUsd: "7.20" }));
    const body = (await res.json()) as { pool: { hourlyUsd: string }; recomputedHours: number };
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(body.pool.hourlyUsd).toBe("7.2");
    expect(body.recomputedHours).toBe(3);
    exactly(await gpuOf(req("a")), "2.4");
    exactly(await gpuOf(req("b")), "4.8");
    exactly(await gpuOf(req("c")), "7.2");
    exactly(await gpuOf(req("d")), "3.6");
    const audit = await db.query("SELECT before, after FROM audit_log WHERE action = 'gpu_pool.update' AND entity_id = $1", [poolId]);
    expect(audit.rows[0]).toMatchObject({ before: { hourlyUsd: "3.6" }, after: { hourlyUsd: "7.2", recomputedHours: 3 } });
  });

  it("ending a price early leaves the later hours unpriced, and reopening it prices them again", async () => {
    const later = await admin.fetch(`/api/v1/gpu-pools/${poolId}`, json("PATCH", { effectiveTo: "2026-10-05T12:00:00Z" }));
    expect(((await later.json()) as { recomputedHours: number }).recomputedHours).toBe(1);
    expect((await breakdown(req("d"))).unpricedGpuShares).toBe(1);
    exactly(await gpuOf(req("c")), "7.2");
    const reopened = await admin.fetch(`/api/v1/gpu-pools/${poolId}`, json("PATCH", { effectiveTo: null }));
    expect(((await reopened.json()) as { recomputedHours: number }).recomputedHours).toBe(1);
    exactly(await gpuOf(req("d")), "3.6");
  });

  it("is refused (409, naming the month) when it would re-price a closed month, and changes nothing", async () => {
    await ingest([{ id: `${run}-f1`, timestamp: `${CLOSED_MONTH}-10T10:15:00Z`, requestId: req("f"), kind: "gpu", pool: CLOSED_POOL, gpuSeconds: 600 }]);
    const created = await admin.fetch("/api/v1/gpu-pools", json("POST", { name: CLOSED_POOL, hourlyUsd: "1", effectiveFrom: "2019-01-01T00:00:00Z" }));
    const { pool, recomputedHours } = (await created.json()) as { pool: { id: string }; recomputedHours: number };
    expect(recomputedHours).toBe(1);
    exactly(await gpuOf(req("f")), "1");

    await db.query("INSERT INTO closed_months (month, closed_by) VALUES ($1, 'integration test')", [`${CLOSED_MONTH}-01`]);
    const auditBefore = await db.query("SELECT count(*)::int AS n FROM audit_log WHERE entity_id = $1", [pool.id]);

    const change = await admin.fetch(`/api/v1/gpu-pools/${pool.id}`, json("PATCH", { hourlyUsd: "2" }));
    expect(change.status).toBe(409);
    const err = ((await change.json()) as { error: { code: string; message: string; closedMonths: string[] } }).error;
    expect(err.code).toBe("conflict");
    expect(err.closedMonths).toEqual([CLOSED_MONTH]);
    expect(err.message).toContain(CLOSED_MONTH);

    const del = await admin.fetch(`/api/v1/gpu-pools/${pool.id}`, json("DELETE"));
    expect(del.status).toBe(409);
    expect(((await del.json()) as { error: { message: string } }).error.message).toContain(CLOSED_MONTH);

    exactly(await gpuOf(req("f")), "1");
    const stored = await db.query("SELECT hourly_usd::text AS h FROM gpu_pools WHERE id = $1", [pool.id]);
    expect(new Decimal(stored.rows[0].h).equals(1)).toBe(true);
    const auditAfter = await db.query("SELECT count(*)::int AS n FROM audit_log WHERE entity_id = $1", [pool.id]);
    expect(auditAfter.rows[0].n).toBe(auditBefore.rows[0].n);

    // A change that leaves the closed month's price alone is fine: a new price from 2030 on.
    const end = await admin.fetch(`/api/v1/gpu-pools/${pool.id}`, json("PATCH", { effectiveTo: "2030-01-01T00:00:00Z" }));
    expect(end.status).toBe(200);
    expect(((await end.json()) as { recomputedHours: number }).recomputedHours).toBe(0);
    const next = await admin.fetch("/api/v1/gpu-pools", json("POST", { name: CLOSED_POOL, hourlyUsd: "9", effectiveFrom: "2030-01-01T00:00:00Z" }));
    expect(next.status).toBe(201);
  });
});
