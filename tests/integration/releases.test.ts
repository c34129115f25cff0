// Releases over real HTTP on PostgreSQL: recording them (pipeline key, admin session, CLI), the
// before/after figures against an independent computation over the raw events, the variance check
// at its threshold, and who may justify a release.
import { execFile } from "node:child_process";
import path from "node:path";
import Decimal from "decimal.js";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { DEMO_PASSWORD } from "@/lib/demo/generate-org";
import { signIn, withKey, type Session } from "../support/http";

const root = path.resolve(import.meta.dirname, "..", "..");
const baseUrl = inject("baseUrl");
const db = new pg.Pool({ connectionString: inject("databaseUrl"), max: 1 });
const run = `rel${Date.now().toString(36)}`;
let admin: Session;
let owner: Session;
let otherOwner: Session;
let viewer: Session;
let pipeline: Session;
let ingestKey: string;

const json = (body: unknown): RequestInit => ({ method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });

type Stats = { requests: number; totalCost: string; meanCost: string | null; p50Cost: string | null; p95Cost: string | null; latencyP95Ms: number | null; errorRate: number | null };
type Comparison = { cohort: string | null; before: Stats; after: Stats; meanChangePct: string | null };
type Detail = {
  release: { id: string; version: string };
  status: string;
  costRose: boolean;
  regression: boolean;
  beforeAfter: { endpoint: string; before: { from: string; to: string }; after: { from: string; to: string }; all: Comparison; cohorts: Comparison[] }[];
  justifications: { version: number; class: string; text: string; author: string }[];
};

/** Exact linear-interpolation percentile of sorted decimals. */
function percentile(sorted: Decimal[], p: string): Decimal {
  const pos = new Decimal(p).times(sorted.length - 1);
  const lo = pos.floor().toNumber();
  const hi = pos.ceil().toNumber();
  return sorted[lo]!.plus(sorted[hi]!.minus(sorted[lo]!).times(pos.minus(lo)));
}

async function ingest(events: Record<string, unknown>[]): Promise<void> {
  for (let i = 0; i < events.length; i += 2000) {
    const res = await pipeline.fetch("/api/v1/events", json({ events: events.slice(i, i + 2000) }));
    const body = (await res.json()) as { accepted: number; rejected: unknown[] };
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(body.rejected).toEqual([]);
  }
}

async function refresh(): Promise<void> {
  const res = await admin.fetch("/api/v1/rollups/refresh", { method: "POST" });
  expect(res.status).toBe(200);
}

async function record(session: Session, body: Record<string, unknown>): Promise<{ status: number; body: { release: { id: string; version: string; endpoints: string[] }; created: boolean } }> {
  const res = await session.fetch("/api/v1/releases", json(body));
  return { status: res.status, body: (await res.json()) as never };
}

async function detail(id: string): Promise<Detail> {
  const res = await admin.fetch(`/api/v1/releases/${id}`);
  expect(res.status).toBe(200);
  return (await res.json()) as Detail;
}

function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [path.join(root, "bin", "cost-review.mjs"), ...args], { cwd: root, env: { ...process.env, ...env } }, (err, stdout, stderr) => {
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

beforeAll(async () => {
  admin = await signIn(baseUrl, "admin@example.com", DEMO_PASSWORD);
  owner = await signIn(baseUrl, "owner@example.com", DEMO_PASSWORD);
  otherOwner = await signIn(baseUrl, "sam@example.com", DEMO_PASSWORD);
  viewer = await signIn(baseUrl, "viewer@example.com", DEMO_PASSWORD);
  const keyRes = await admin.fetch("/api/v1/api-keys", json({ name: `releases ${run}`, scope: "ingest" }));
  ingestKey = ((await keyRes.json()) as { key: string }).key;
  pipeline = withKey(baseUrl, ingestKey);
});
afterAll(() => db.end());

describe("recording a release", () => {
  it("accepts one from a deploy pipeline's ingest key, and a re-run with the same externalId records nothing new", async () => {
    const body = { version: `${run}-1.0.0`, title: "Pipeline release", endpoints: [`${run}-ep`, "chat.title"], shippedAt: "2026-02-02T10:00:00Z", externalId: `${run}-deploy-1`, link: "https://example.com/pr/1" };
    const first = await record(pipeline, body);
    expect(first.status).toBe(201);
    expect(first.body.created).toBe(true);
    expect(first.body.release.endpoints).toEqual([`${run}-ep`, "chat.title"]);
    const again = await record(pipeline, { ...body, title: "Pipeline release (re-run)" });
    expect(again.status).toBe(200);
    expect(again.body.created).toBe(false);
    expect(again.body.release.id).toBe(first.body.release.id);
    const { rows } = await db.query("SELECT title, created_by_label FROM releases WHERE external_id = $1", [`${run}-deploy-1`]);
    expect(rows).toHaveLength(1);
    expect(rows[0].title).toBe("Pipeline release");
    expect(rows[0].created_by_label).toMatch(/^api-key:/);
    const audit = await db.query("SELECT count(*)::int AS n FROM audit_log WHERE action = 'release.create' AND entity_id = $1", [first.body.release.id]);
    expect(audit.rows[0].n).toBe(1);
  });

  it("accepts one from an admin's session and lists it filtered by endpoint; a viewer may not record one", async () => {
    const r = await record(admin, { version: `${run}-admin`, title: "From the UI", endpoints: [`${run}-listed`], shippedAt: "2026-02-03T10:00:00Z" });
    expect(r.status).toBe(201);
    const list = await admin.fetch(`/api/v1/releases?endpoint=${run}-listed`);
    const body = (await list.json()) as { releases: { id: string; createdBy: string }[] };
    expect(body.releases.map((x) => x.id)).toEqual([r.body.release.id]);
    expect(body.releases[0]!.createdBy).toBe("admin@example.com");
    const none = await admin.fetch(`/api/v1/releases?endpoint=${run}-listed&from=2026-02-04T00:00:00Z`);
    expect(((await none.json()) as { releases: unknown[] }).releases).toEqual([]);
    const refused = await record(viewer, { version: "x", title: "x", endpoints: ["x"] });
    expect(refused.status).toBe(403);
  });

  it("refuses bad input naming each field", async () => {
    const res = await admin.fetch("/api/v1/releases", json({ title: "", shippedAt: "last tuesday", link: "ftp://x", endpoints: [] }));
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { errors: { path: string; message: string }[] } };
    const paths = body.error.errors.map((e) => e.path).sort();
    expect(paths).toEqual(expect.arrayContaining(["version", "title", "shippedAt", "link"]));
    expect(body.error.errors.find((e) => e.path === "shippedAt")!.message).toMatch(/ISO 8601/);
    const noEndpoint = await admin.fetch("/api/v1/releases", json({ version: "v", title: "t" }));
    const b2 = (await noEndpoint.json()) as { error: { errors: { path: string; message: string }[] } };
    expect(b2.error.errors).toEqual([{ path: "endpoints", message: expect.stringMatching(/at least one endpoint or feature/) }]);
  });
});

describe("before and after a release", () => {
  const EP = `${run}-ba`;
  let middle = "";

  beforeAll(async () => {
    // Three releases of the endpoint: 2 March, 5 March and 20 March. The middle one's before-window is cut
    // at the first (2–5 March instead of 26 Feb–5 March); its after-window is the full 7 days (5–12 March).
    const events: Record<string, unknown>[] = [];
    let n = 0;
    const add = (day: string, hour: number, cohort: string, cost: string, extra: Record<string, unknown> = {}) => {
      const id = `${EP}-${n++}`;
      events.push({ id, requestId: id, timestamp: `2026-03-${day}T${String(hour).padStart(2, "0")}:00:00Z`, endpoint: EP, cohort, kind: "tool", costUsd: cost, latencyMs: 100 + n * 7, ...extra });
    };
    // Before the first release (outside every window of the middle one).
    add("01", 10, "free", "9.5");
    // The middle release's before-window.
    add("02", 1, "free", "0.0101");
    add("03", 12, "free", "0.0207");
    add("03", 13, "pro", "0.0333", { status: "error" });
    add("04", 23, "pro", "0.0419");
    add("04", 8, "free", "0.0050");
    // Its after-window.
    add("05", 0, "free", "0.0612");
    add("06", 9, "pro", "0.0871");
    add("07", 9, "free", "0.0123", { status: "error" });
    add("09", 9, "pro", "0.1009");
    add("11", 23, "free", "0.0777");
    // After the after-window.
    add("12", 1, "free", "7.25");
    add("14", 9, "pro", "3.5");
    // A second event of one request: the request's cost is the sum of its events.
    events.push({ id: `${EP}-extra`, requestId: `${EP}-6`, timestamp: "2026-03-05T00:00:03Z", endpoint: EP, cohort: "free", kind: "tool", costUsd: "0.0004" });
    await ingest(events);
    await refresh();
    for (const [v, at] of [["a", "2026-03-02T00:00:00Z"], ["b", "2026-03-05T00:00:00Z"], ["c", "2026-03-20T00:00:00Z"]] as const) {
      const r = await record(admin, { version: `${run}-${v}`, title: `release ${v}`, endpoints: [EP], shippedAt: at });
      expect(r.status).toBe(201);
      if (v === "b") middle = r.body.release.id;
    }
  });

  /** Per-request cost straight from cost_events (the request's first event decides its time and cohort). */
  async function independent(from: string, to: string, cohort: string | null) {
    const { rows } = await db.query<{ cost: string; latency: number | null; errors: number }>(
      `WITH r AS (
         SELECT request_id, min(ts) AS first_ts, sum(cost_usd) AS cost, (array_agg(cohort ORDER BY ts))[1] AS cohort,
           count(*) FILTER (WHERE status = 'error') AS errors
         FROM cost_events WHERE endpoint = $1 GROUP BY request_id)
       SELECT cost::text AS cost, errors::int AS errors FROM r WHERE first_ts >= $2 AND first_ts < $3 AND ($4::text IS NULL OR cohort = $4) ORDER BY cost`,
      [EP, from, to, cohort],
    );
    const costs = rows.map((r) => new Decimal(r.cost));
    const total = costs.reduce((s, c) => s.plus(c), new Decimal(0));
    return {
      requests: costs.length,
      total,
      mean: total.div(costs.length).toDecimalPlaces(12, Decimal.ROUND_HALF_UP),
      p50: percentile(costs, "0.5"),
      p95: percentile(costs, "0.95"),
      errors: rows.filter((r) => r.errors > 0).length,
    };
  }

  it("uses windows cut short by the neighbouring releases", async () => {
    const d = await detail(middle);
    expect(d.beforeAfter).toHaveLength(1);
    const e = d.beforeAfter[0]!;
    expect(e.before).toEqual({ from: "2026-03-02T00:00:00.000Z", to: "2026-03-05T00:00:00.000Z" });
    expect(e.after).toEqual({ from: "2026-03-05T00:00:00.000Z", to: "2026-03-12T00:00:00.000Z" });
  });

  it("equals an independent computation over the raw events, for all cohorts and for each cohort", async () => {
    const d = await detail(middle);
    const e = d.beforeAfter[0]!;
    const sides = [
      ["before", "2026-03-02T00:00:00Z", "2026-03-05T00:00:00Z"],
      ["after", "2026-03-05T00:00:00Z", "2026-03-12T00:00:00Z"],
    ] as const;
    const rows = [e.all, ...e.cohorts];
    expect(e.cohorts.map((c) => c.cohort)).toEqual(["free", "pro"]);
    for (const row of rows) {
      for (const [side, from, to] of sides) {
        const want = await independent(from, to, row.cohort);
        const got = row[side];
        expect(got.requests, `${row.cohort} ${side}`).toBe(want.requests);
        expect(new Decimal(got.totalCost).equals(want.total), `${row.cohort} ${side} total ${got.totalCost}`).toBe(true);
        expect(new Decimal(got.meanCost!).equals(want.mean), `${row.cohort} ${side} mean ${got.meanCost} vs ${want.mean}`).toBe(true);
        expect(new Decimal(got.p50Cost!).equals(want.p50), `${row.cohort} ${side} p50 ${got.p50Cost} vs ${want.p50}`).toBe(true);
        expect(new Decimal(got.p95Cost!).equals(want.p95), `${row.cohort} ${side} p95 ${got.p95Cost} vs ${want.p95}`).toBe(true);
        expect(got.errorRate).toBeCloseTo(want.errors / want.requests, 12);
        expect(typeof got.meanCost).toBe("string");
      }
    }
    // The figures are exact: the after-window's total is (0.0612 + 0.0004) + 0.0871 + 0.0123 + 0.1009 + 0.0777.
    expect(e.all.after.totalCost).toBe("0.3396");
    expect(e.all.before.requests).toBe(5);
  });

  it("follows the window setting: two days each side cut the before-window to 3–5 March and the after-window to 5–7 March", async () => {
    const bad = await admin.fetch("/api/v1/settings/releases", { method: "PUT", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ windowDays: 0 }) });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { errors: { path: string }[] } }).error.errors[0]!.path).toBe("windowDays");
    const put = (windowDays: number) =>
      admin.fetch("/api/v1/settings/releases", { method: "PUT", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ windowDays }) });
    expect((await put(2)).status).toBe(200);
    try {
      const e = (await detail(middle)).beforeAfter[0]!;
      expect(e.before).toEqual({ from: "2026-03-03T00:00:00.000Z", to: "2026-03-05T00:00:00.000Z" });
      expect(e.after).toEqual({ from: "2026-03-05T00:00:00.000Z", to: "2026-03-07T00:00:00.000Z" });
      const want = await independent("2026-03-05T00:00:00Z", "2026-03-07T00:00:00Z", null);
      expect(e.all.after.requests).toBe(want.requests);
      expect(new Decimal(e.all.after.totalCost).equals(want.total)).toBe(true);
    } finally {
      expect((await put(7)).status).toBe(200);
    }
    const audit = await db.query("SELECT count(*)::int AS n FROM audit_log WHERE action = 'settings.releases.update'");
    expect(audit.rows[0].n).toBeGreaterThanOrEqual(2);
  });
});

describe("the release variance check", () => {
  // One endpoint per case, each with one release on 6 April 2026 12:00 and 50 requests on each side.
  const at = new Date("2026-04-06T12:00:00Z").getTime();
  const cases = [
    { name: "under", after: "0.010999", requests: 50, status: "within_threshold" }, // +9.99 %
    { name: "exact", after: "0.011", requests: 50, status: "justification_required" }, // +10 %
    { name: "over", after: "0.011001", requests: 50, status: "justification_required" }, // +10.01 %
    { name: "thin", after: "0.05", requests: 49, status: "insufficient_data" }, // +400 % on 49 requests
  ];
  const ids = new Map<string, string>();

  beforeAll(async () => {
    const events: Record<string, unknown>[] = [];
    for (const c of cases) {
      const ep = `${run}-var-${c.name}`;
      for (let i = 0; i < 50; i++) {
        const id = `${ep}-b${i}`;
        events.push({ id, requestId: id, timestamp: new Date(at - (i + 1) * 3_000_000).toISOString(), endpoint: ep, cohort: "free", kind: "tool", costUsd: "0.01" });
      }
      for (let i = 0; i < c.requests; i++) {
        const id = `${ep}-a${i}`;
        events.push({ id, requestId: id, timestamp: new Date(at + i * 3_000_000).toISOString(), endpoint: ep, cohort: "free", kind: "tool", costUsd: c.after });
      }
    }
    await ingest(events);
    await refresh();
    for (const c of cases) {
      const r = await record(pipeline, { version: `${run}-var-${c.name}`, title: c.name, endpoints: [`${run}-var-${c.name}`], shippedAt: new Date(at).toISOString() });
      expect(r.status).toBe(201);
      ids.set(c.name, r.body.release.id);
    }
  });

  it("flags a rise of the threshold or more, not one just under it, and not on fewer requests than the minimum volume", async () => {
    for (const c of cases) {
      const d = await detail(ids.get(c.name)!);
      expect(d.status, c.name).toBe(c.status);
    }
    const list = (await (await admin.fetch(`/api/v1/releases?from=2026-04-06T00:00:00Z&to=2026-04-07T00:00:00Z`)).json()) as { releases: { id: string; status: string; variance: { changePct: string }[] }[] };
    const over = list.releases.find((r) => r.id === ids.get("over"))!;
    expect(over.status).toBe("justification_required");
    expect(over.variance[0]!.changePct).toBe("10.01");
    expect(list.releases.find((r) => r.id === ids.get("under"))!.variance[0]!.changePct).toBe("9.99");
  });

  it("clears the flag once justified, and shows a regression that cost more as such", async () => {
    const id = ids.get("over")!;
    const res = await admin.fetch(`/api/v1/releases/${id}/justification`, json({ class: "regression", text: "The new prompt **doubled** the context. Reverting." }));
    expect(res.status).toBe(201);
    const d = await detail(id);
    expect(d.status).toBe("justified");
    expect(d.regression).toBe(true);
    expect(d.costRose).toBe(true);
  });
});

describe("a release judged to need a justification keeps needing one", () => {
  // Cost per request rose 50 % on the "rise" endpoints across 13 April 2026 12:00; the "flat" endpoint
  // stayed where it was. 50 requests on each side (the minimum volume).
  const at = new Date("2026-04-13T12:00:00Z").getTime();
  const ep = (name: string) => `${run}-sticky-${name}`;
  const patch = async (who: Session, id: string, body: Record<string, unknown>) => {
    const res = await who.fetch(`/api/v1/releases/${id}`, { method: "PATCH", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as { status: string; release: { shippedAt: string; endpoints: string[]; justificationRequiredSince: string | null } } };
  };

  beforeAll(async () => {
    const events: Record<string, unknown>[] = [];
    for (const [name, after] of [["rise", "0.015"], ["rise2", "0.015"], ["flat", "0.01"]] as const) {
      for (let i = 0; i < 50; i++) {
        const b = `${ep(name)}-b${i}`;
        const a = `${ep(name)}-a${i}`;
        events.push({ id: b, requestId: b, timestamp: new Date(at - (i + 1) * 3_000_000).toISOString(), endpoint: ep(name), cohort: "free", kind: "tool", costUsd: "0.01" });
        events.push({ id: a, requestId: a, timestamp: new Date(at + i * 3_000_000).toISOString(), endpoint: ep(name), cohort: "free", kind: "tool", costUsd: after });
      }
    }
    await ingest(events);
    await refresh();
  });

  it("after an admin moves shippedAt to 2015, where there is no traffic to judge, until it is justified", async () => {
    const r = await record(pipeline, { version: `${run}-sticky-1`, title: "Longer context", endpoints: [ep("rise")], shippedAt: new Date(at).toISOString() });
    expect(r.status).toBe(201);
    const id = r.body.release.id;
    expect((await detail(id)).status).toBe("justification_required");
    const moved = await patch(admin, id, { shippedAt: "2015-01-01T00:00:00Z" });
    expect(moved.status).toBe(200);
    expect(moved.body.release.shippedAt).toBe("2015-01-01T00:00:00.000Z");
    expect(moved.body.release.justificationRequiredSince).not.toBeNull();
    expect(moved.body.status).toBe("justification_required");
    const d = await detail(id);
    expect(d.status).toBe("justification_required");
    // The figures themselves are honest: nothing to compare in 2015.
    expect(d.costRose).toBe(false);
    expect(d.beforeAfter.every((b) => b.all.before.requests === 0 && b.all.after.requests === 0)).toBe(true);
    // It is on the owners' lists too, and leaves them once justified.
    const list = (await (await admin.fetch(`/api/v1/releases?endpoint=${ep("rise")}`)).json()) as { releases: { id: string; status: string }[] };
    expect(list.releases.find((x) => x.id === id)!.status).toBe("justification_required");
    expect((await admin.fetch(`/api/v1/releases/${id}/justification`, json({ class: "launch", text: "Longer context for the launch." }))).status).toBe(201);
    expect((await detail(id)).status).toBe("justified");
  });

  it("re-runs the check when the endpoints change, and going back to a flat endpoint keeps the verdict", async () => {
    const r = await record(pipeline, { version: `${run}-sticky-2`, title: "Cache tweak", endpoints: [ep("flat")], shippedAt: new Date(at).toISOString() });
    expect(r.status).toBe(201);
    const id = r.body.release.id;
    expect((await detail(id)).status).toBe("within_threshold");
    const widened = await patch(admin, id, { endpoints: [ep("flat"), ep("rise2")] });
    expect(widened.status).toBe(200);
    expect(widened.body.status).toBe("justification_required");
    expect(widened.body.release.justificationRequiredSince).not.toBeNull();
    const narrowed = await patch(admin, id, { endpoints: [ep("flat")] });
    expect(narrowed.status).toBe(200);
    expect(narrowed.body.release.endpoints).toEqual([ep("flat")]);
    expect(narrowed.body.status).toBe("justification_required");
    expect((await detail(id)).status).toBe("justification_required");
    const { rows } = await db.query<{ b: string[]; a: string[] }>(
      "SELECT before->'endpoints' AS b, after->'endpoints' AS a FROM audit_log WHERE action = 'release.update' AND entity_id = $1 ORDER BY id",
      [id],
    );
    expect(rows).toEqual([
      { b: [ep("flat")], a: [ep("flat"), ep("rise2")] },
      { b: [ep("flat"), ep("rise2")], a: [ep("flat")] },
    ]);
  });

  it("refuses the owner of another feature and an ingest key that did not record it: 403, nothing changed, nothing audited", async () => {
    const r = await record(admin, { version: `${run}-sticky-3`, title: "Search tweak", features: ["semantic-search"], shippedAt: "2026-04-13T12:00:00Z" });
    expect(r.status).toBe(201);
    const id = r.body.release.id;
    const stored = async () => (await db.query("SELECT to_jsonb(r) AS row FROM releases r WHERE id = $1", [id])).rows[0].row as unknown;
    const before = await stored();
    const byOwner = await patch(owner, id, { features: ["semantic-search", "chat"] });
    expect(byOwner.status).toBe(403);
    expect(JSON.stringify(byOwner.body)).toMatch(/Only an admin, the owner of a feature this release already touches, or the API key that recorded it/);
    expect((await patch(pipeline, id, { shippedAt: "2015-01-01T00:00:00Z" })).status).toBe(403);
    expect(await stored()).toEqual(before);
    const audit = await db.query("SELECT count(*)::int AS n FROM audit_log WHERE action = 'release.update' AND entity_id = $1", [id]);
    expect(audit.rows[0].n).toBe(0);
    expect((await patch(otherOwner, id, { title: "Search tweak, renamed" })).status).toBe(200);
  });
});

describe("justifying a release", () => {
  let chatRelease = "";

  beforeAll(async () => {
    const r = await record(pipeline, { version: `${run}-chat`, title: "Chat tweak", features: ["chat"], shippedAt: "2026-01-14T09:00:00Z" });
    expect(r.status).toBe(201);
    chatRelease = r.body.release.id;
  });

  it("refuses the owner of another feature (403) and a viewer, and keeps nothing", async () => {
    const sam = await otherOwner.fetch(`/api/v1/releases/${chatRelease}/justification`, json({ class: "launch", text: "Not mine to say." }));
    expect(sam.status).toBe(403);
    expect(((await sam.json()) as { error: { message: string } }).error.message).toMatch(/owner of a feature this release touched, or an admin/);
    const v = await viewer.fetch(`/api/v1/releases/${chatRelease}/justification`, json({ class: "launch", text: "x" }));
    expect(v.status).toBe(403);
    const k = await pipeline.fetch(`/api/v1/releases/${chatRelease}/justification`, json({ class: "launch", text: "x" }));
    expect(k.status).toBe(403);
    const { rows } = await db.query("SELECT count(*)::int AS n FROM release_justifications WHERE release_id = $1", [chatRelease]);
    expect(rows[0].n).toBe(0);
  });

  it("names the bad field", async () => {
    const res = await owner.fetch(`/api/v1/releases/${chatRelease}/justification`, json({ class: "because", text: " " }));
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { errors: { path: string }[] } };
    expect(body.error.errors.map((e) => e.path).sort()).toEqual(["class", "text"]);
  });

  it("takes the feature owner's justification, then an admin's edit, keeping both versions and auditing each", async () => {
    const first = await owner.fetch(`/api/v1/releases/${chatRelease}/justification`, json({ class: "quality_improvement", text: "Better answers." }));
    expect(first.status).toBe(201);
    const second = await admin.fetch(`/api/v1/releases/${chatRelease}/justification`, json({ class: "launch", text: "Part of the **launch**." }));
    expect(second.status).toBe(201);
    const d = await detail(chatRelease);
    expect(d.justifications.map((j) => [j.version, j.class, j.author])).toEqual([
      // Signed with the author's name, not an email.
      [2, "launch", "Ada Admin"],
      [1, "quality_improvement", "Priya Owner"],
    ]);
    const audit = await db.query<{ action: string; actor_label: string }>(
      "SELECT action, actor_label FROM audit_log WHERE entity_type = 'release' AND entity_id = $1 AND action LIKE 'release.justification.%' ORDER BY id",
      [chatRelease],
    );
    expect(audit.rows).toEqual([
      { action: "release.justification.create", actor_label: "owner@example.com" },
      { action: "release.justification.update", actor_label: "admin@example.com" },
    ]);
  });

  it("lets an owner change a release (audited) and refuses a viewer", async () => {
    const res = await owner.fetch(`/api/v1/releases/${chatRelease}`, { method: "PATCH", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ title: "Chat tweak, renamed" }) });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { release: { title: string } }).release.title).toBe("Chat tweak, renamed");
    const v = await viewer.fetch(`/api/v1/releases/${chatRelease}`, { method: "PATCH", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ title: "no" }) });
    expect(v.status).toBe(403);
    const audit = await db.query("SELECT before->>'title' AS b, after->>'title' AS a FROM audit_log WHERE action = 'release.update' AND entity_id = $1", [chatRelease]);
    expect(audit.rows).toEqual([{ b: "Chat tweak", a: "Chat tweak, renamed" }]);
  });
});

describe("cost-review release", () => {
  it("posts over HTTP with --url and --key, and a re-run with the same --external-id records nothing new", async () => {
    const args = ["release", "--url", baseUrl, "--key", ingestKey, "--version", `${run}-cli`, "--title", "From the pipeline", "--endpoint", "chat.answer", "--endpoint", `${run}-x,${run}-y`, "--external-id", `${run}-cli-1`, "--shipped-at", "2026-01-20T08:00:00Z"];
    const first = await cli(args);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(new RegExp(`Recorded release ${run}-cli`));
    const second = await cli(args);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toMatch(/already recorded/);
    const { rows } = await db.query("SELECT endpoints, shipped_at FROM releases WHERE external_id = $1", [`${run}-cli-1`]);
    expect(rows).toHaveLength(1);
    expect(rows[0].endpoints).toEqual(["chat.answer", `${run}-x`, `${run}-y`]);
    expect((rows[0].shipped_at as Date).toISOString()).toBe("2026-01-20T08:00:00.000Z");
  });

  it("prints the server's field errors and exits 1", async () => {
    const out = await cli(["release", "--url", baseUrl, "--key", ingestKey, "--version", `${run}-bad`, "--endpoint", "chat.answer"]);
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/title: Title: required/);
  });

  it("writes straight to the database without --url", async () => {
    const out = await cli(["release", "--version", `${run}-direct`, "--title", "Direct", "--feature", "summaries", "--shipped-at", "2026-01-21T08:00:00Z"], { DATABASE_URL: inject("databaseUrl") });
    expect(out.code, out.stderr).toBe(0);
    const { rows } = await db.query("SELECT features, created_by_label FROM releases WHERE version = $1", [`${run}-direct`]);
    expect(rows).toEqual([{ features: ["summaries"], created_by_label: "cli" }]);
  });
});
