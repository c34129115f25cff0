// Quality metrics, cost targets, the release gate (API, CLI and a CI shell script) and cost incidents,
// over real HTTP against the running app and PostgreSQL.
import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Decimal from "decimal.js";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { DEMO_PASSWORD } from "@/lib/demo/generate-org";
import { signIn, withKey, type Session } from "../support/http";

const root = path.resolve(import.meta.dirname, "..", "..");
const baseUrl = inject("baseUrl");
const db = new pg.Pool({ connectionString: inject("databaseUrl"), max: 1 });
const run = `q${Date.now().toString(36)}`;
let admin: Session;
let owner: Session;
let viewer: Session;
let svc: Session;
let ingestKey: string;

const json = (method: string, body: unknown): RequestInit => ({ method, headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });

async function ingest(events: Record<string, unknown>[]) {
  for (let i = 0; i < events.length; i += 1000) {
    const res = await svc.fetch("/api/v1/events", json("POST", { events: events.slice(i, i + 1000) }));
    expect(res.status, await res.clone().text()).toBe(200);
  }
  expect((await admin.fetch("/api/v1/rollups/refresh", { method: "POST" })).status).toBe(200);
}

/** Registers an endpoint under the demo feature of chat.answer (owned by owner@example.com). */
async function registerEndpoint(slug: string) {
  await db.query(`INSERT INTO endpoints (slug, name, feature_id) SELECT $1, $1, feature_id FROM endpoints WHERE slug = 'chat.answer'`, [slug]);
}

beforeAll(async () => {
  admin = await signIn(baseUrl, "admin@example.com", DEMO_PASSWORD);
  owner = await signIn(baseUrl, "owner@example.com", DEMO_PASSWORD);
  viewer = await signIn(baseUrl, "viewer@example.com", DEMO_PASSWORD);
  const keyRes = await admin.fetch("/api/v1/api-keys", json("POST", { name: `quality ${run}`, scope: "ingest" }));
  ingestKey = ((await keyRes.json()) as { key: string }).key;
  svc = withKey(baseUrl, ingestKey);
});
afterAll(() => db.end());

type QualityBody = {
  rows: { day: string; endpoint: string; cohort: string | null; metric: string; value: string; successes: string; samples: number }[];
  summary?: { endpoint: string; cohort: string | null; successes: string; samples: number; totalCost: string; requests: number; costPerSuccess: string | null; value: string }[];
};

describe("quality metrics", () => {
  const EP = `qual-${run}`;

  it("stores the valid rows, rejects the bad ones naming the field, and replaces a re-posted day", async () => {
    const res = await svc.fetch(
      "/api/v1/quality",
      json("POST", {
        rows: [
          { day: "2026-05-04", endpoint: EP, metric: "task_success", value: "0.8", samples: 200 },
          { day: "2026-05-04", endpoint: EP, metric: "task_success", value: "1.5", samples: 10 },
          { day: "2026-05-05", endpoint: EP, cohort: "pro", metric: "task_success", successes: 45, samples: 50 },
          { day: "2026-13-01", endpoint: EP, metric: "task_success", value: "0.5", samples: 10 },
          { day: "2026-05-05", endpoint: EP, metric: "Task Success", value: "0.5", samples: 0 },
        ],
      }),
    );
    expect(res.status).toBe(207);
    const body = (await res.json()) as { accepted: number; rejected: { index: number; errors: { path: string; message: string }[] }[] };
    expect(body.accepted).toBe(2);
    expect(body.rejected.map((r) => r.index)).toEqual([1, 3, 4]);
    expect(body.rejected[0]!.errors).toEqual([expect.objectContaining({ path: "rows.1.value", message: expect.stringMatching(/between 0 and 1/) })]);
    expect(body.rejected[1]!.errors[0]!.path).toBe("rows.3.day");
    expect(body.rejected[2]!.errors.map((e) => e.path).sort()).toEqual(["rows.4.metric", "rows.4.samples"]);

    const again = await svc.fetch("/api/v1/quality", json("POST", { rows: [{ day: "2026-05-04", endpoint: EP, metric: "task_success", value: "0.85", samples: 220 }] }));
    expect(again.status).toBe(200);
    const again2 = await svc.fetch("/api/v1/quality", json("POST", { rows: [{ day: "2026-05-04", endpoint: EP, metric: "task_success", value: "0.85", samples: 220 }] }));
    expect(again2.status).toBe(200);

    const { rows } = await db.query(`SELECT day::text, cohort, value::text, successes::text, samples FROM quality_metrics WHERE endpoint = $1 ORDER BY day, cohort NULLS FIRST`, [EP]);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ day: "2026-05-04", cohort: null, samples: 220 });
    expect(new Decimal(rows[0].value).equals("0.85")).toBe(true);
    expect(new Decimal(rows[0].successes).equals("187")).toBe(true);
    expect(rows[1]).toMatchObject({ day: "2026-05-05", cohort: "pro", samples: 50 });
    expect(new Decimal(rows[1].value).equals("0.9")).toBe(true);

    const read = await viewer.fetch(`/api/v1/quality?endpoint=${EP}`);
    expect(read.status).toBe(200);
    const got = (await read.json()) as QualityBody & { primary: Record<string, string> };
    expect(got.rows.map((r) => [r.day, r.cohort, r.value])).toEqual([
      ["2026-05-04", null, "0.85"],
      ["2026-05-05", "pro", "0.9"],
    ]);
    expect(got.primary[EP]).toBe("task_success");
  });

  it("takes a CSV and reports a bad row on its field", async () => {
    const csv = `day,endpoint,cohort,metric,value,samples\n2026-05-06,${EP},,thumbs_up,0.7,10\n2026-05-06,${EP},,thumbs_up,abc,10\n`;
    const res = await svc.fetch("/api/v1/quality", { method: "POST", headers: { "Content-Type": "text/csv" }, body: csv });
    expect(res.status).toBe(207);
    const body = (await res.json()) as { accepted: number; rejected: { index: number; line: number; errors: { path: string }[] }[] };
    expect(body.accepted).toBe(1);
    expect(body.rejected).toEqual([expect.objectContaining({ index: 1, line: 3, errors: [expect.objectContaining({ path: "rows.1.value" })] })]);
  });

  it("loads a CSV file with `cost-review quality --url`, printing the bad row's line and exiting 1", async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), "quality-cli-")), "quality.csv");
    writeFileSync(file, `day,endpoint,cohort,metric,successes,samples\n2026-05-07,${EP},free,conversion,12,40\n2026-05-07,${EP},free,conversion,50,40\n`);
    const out = await new Promise<{ code: number; text: string }>((resolve) => {
      execFile(process.execPath, [path.join(root, "bin", "cost-review.mjs"), "quality", file, "--url", baseUrl, "--key", ingestKey], { cwd: root }, (err, stdout, stderr) =>
        resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, text: `${stdout}${stderr}` }),
      );
    });
    expect(out.text).toMatch(/2 rows, 1 stored, 1 rejected/);
    expect(out.text).toMatch(/line 3: successes: successes \(50\) cannot be more than samples \(40\)/);
    expect(out.code).toBe(1);
    const { rows } = await db.query(`SELECT value::text, samples FROM quality_metrics WHERE endpoint = $1 AND metric = 'conversion'`, [EP]);
    expect(rows).toHaveLength(1);
    expect(new Decimal(rows[0].value).equals("0.3")).toBe(true);
  }, 60_000);

  it("refuses a viewer", async () => {
    const res = await viewer.fetch("/api/v1/quality", json("POST", { rows: [] }));
    expect(res.status).toBe(403);
  });
});

describe("cost per successful outcome", () => {
  const EP = `cps-${run}`;
  const quality = [
    { day: "2026-04-06", cohort: "free", value: "0.6", samples: 40 },
    { day: "2026-04-06", cohort: "pro", value: "0.9", samples: 10 },
    // 7 April has an all-cohorts row: it counts for the whole endpoint instead of the cohort rows.
    { day: "2026-04-07", cohort: null, value: "0.75", samples: 80 },
    { day: "2026-04-07", cohort: "free", value: "0.7", samples: 60 },
    { day: "2026-04-08", cohort: "free", successes: "33", samples: 50 },
  ];

  beforeAll(async () => {
    const events: Record<string, unknown>[] = [];
    for (let i = 0; i < 30; i++) {
      const day = 6 + (i % 3);
      events.push({
        id: `${EP}-${i}`,
        timestamp: `2026-04-0${day}T1${i % 10}:00:00Z`,
        requestId: `${EP}-r${i}`,
        endpoint: EP,
        cohort: i % 4 === 0 ? "pro" : "free",
        kind: "tool",
        costUsd: `0.0${(i % 7) + 1}3${i}`,
      });
    }
    // A request the day after the range: not counted.
    events.push({ id: `${EP}-late`, timestamp: "2026-04-09T08:00:00Z", requestId: `${EP}-late`, endpoint: EP, kind: "tool", costUsd: "5" });
    await ingest(events);
    const res = await svc.fetch("/api/v1/quality", json("POST", { rows: quality.map((q) => ({ ...q, endpoint: EP, metric: "task_success" })) }));
    expect(res.status).toBe(200);
  });

  it("is the total cost divided by the successes, exactly", async () => {
    const res = await viewer.fetch(`/api/v1/quality?endpoint=${EP}&from=2026-04-06&to=2026-04-08`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as QualityBody;
    const costs = await db.query<{ cohort: string | null; total: string }>(
      `WITH f AS (SELECT cohort, total_cost FROM request_facts WHERE endpoint = $1 AND first_ts >= '2026-04-06T00:00:00Z' AND first_ts < '2026-04-09T00:00:00Z')
       SELECT cohort, sum(total_cost)::text AS total FROM f GROUP BY ROLLUP (cohort)`,
      [EP],
    );
    const total = (cohort: string | null) => new Decimal(costs.rows.find((r) => (cohort === null ? r.cohort === null : r.cohort === cohort))!.total);
    const successesOf = (rows: typeof quality) => rows.reduce((s, q) => s.plus(q.successes ?? new Decimal(q.value!).times(q.samples)), new Decimal(0));
    // Whole endpoint: 6 April from its cohort rows, 7 April from its all-cohorts row, 8 April from its cohort row.
    const wholeSuccesses = successesOf([quality[0]!, quality[1]!, quality[2]!, quality[4]!] as typeof quality);
    const whole = body.summary!.find((s) => s.cohort === null)!;
    expect(new Decimal(whole.successes).equals(wholeSuccesses)).toBe(true);
    expect(new Decimal(whole.totalCost).equals(total(null))).toBe(true);
    expect(whole.requests).toBe(30);
    expect(new Decimal(whole.costPerSuccess!).equals(total(null).div(wholeSuccesses).toDecimalPlaces(12))).toBe(true);

    const free = body.summary!.find((s) => s.cohort === "free")!;
    const freeSuccesses = successesOf([quality[0]!, quality[3]!, quality[4]!] as typeof quality);
    expect(new Decimal(free.successes).equals(freeSuccesses)).toBe(true);
    expect(new Decimal(free.costPerSuccess!).equals(total("free").div(freeSuccesses).toDecimalPlaces(12))).toBe(true);
    expect(new Decimal(free.value).equals(freeSuccesses.div(150).toDecimalPlaces(12))).toBe(true);
  });
});

type Gate = { pass: boolean; status: string; reasons: string[]; sample: { requests: number }; costPerRequest: { mean: string; p50: string; p95: string }; ceiling: string | null; latencyP95: number | null; latencyBudget: number | null };

describe("targets and the release gate", () => {
  const EP = `gate-${run}`;
  const since = new Date(Date.now() - 3 * 3_600_000).toISOString();
  let mean: Decimal;

  const gate = async (s: Session, extra = "") => {
    const res = await s.fetch(`/api/v1/gate?endpoint=${EP}&since=${encodeURIComponent(since)}${extra}`);
    expect(res.status, await res.clone().text()).toBe(200);
    return (await res.json()) as Gate;
  };
  const setTargets = (s: Session, targets: unknown[]) => s.fetch("/api/v1/targets", json("PUT", { endpoint: EP, targets }));

  beforeAll(async () => {
    await registerEndpoint(EP);
    const start = Date.now() - 2 * 3_600_000;
    const events = Array.from({ length: 40 }, (_, i) => ({
      id: `${EP}-${i}`,
      timestamp: new Date(start + i * 60_000).toISOString(),
      requestId: `${EP}-r${i}`,
      endpoint: EP,
      cohort: "pro",
      kind: "tool",
      costUsd: i % 2 ? "0.04" : "0.06",
      latencyMs: 400,
    }));
    // An older request, before `since`: not part of the release.
    events.push({ id: `${EP}-old`, timestamp: new Date(Date.now() - 5 * 3_600_000).toISOString(), requestId: `${EP}-old`, endpoint: EP, cohort: "pro", kind: "tool", costUsd: "9", latencyMs: 9000 });
    await ingest(events);
    const r = await db.query<{ n: number; mean: string }>(`SELECT count(*)::int AS n, (sum(total_cost) / count(*))::text AS mean FROM request_facts WHERE endpoint = $1 AND first_ts >= $2`, [EP, since]);
    expect(r.rows[0]!.n).toBe(40);
    mean = new Decimal(r.rows[0]!.mean);
  });

  it("lets the feature's owner set targets, and refuses other owners and viewers", async () => {
    const ok = await setTargets(owner, [{ cohort: null, targetCost: "0.03", ceilingCost: mean.toFixed(), revenuePerRequest: "0.2", latencyBudgetMs: 400 }]);
    expect(ok.status, await ok.clone().text()).toBe(200);
    const notMine = await owner.fetch("/api/v1/targets", json("PUT", { endpoint: "search.query", targets: [] }));
    expect(notMine.status).toBe(403);
    expect((await setTargets(viewer, [])).status).toBe(403);
    const bad = await setTargets(admin, [{ cohort: null, targetCost: "0.5", ceilingCost: "0.1" }]);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { errors: { path: string }[] } }).error.errors[0]!.path).toBe("targets.0.targetCost");
    const audit = await db.query(`SELECT actor_label FROM audit_log WHERE action = 'targets.update' AND after->>'endpoint' = $1`, [EP]);
    expect(audit.rows.map((r) => r.actor_label)).toEqual(["owner@example.com"]);
    const read = (await (await viewer.fetch(`/api/v1/targets?endpoint=${EP}`)).json()) as { endpoints: { targets: { ceilingCost: string }[] }[] };
    expect(new Decimal(read.endpoints[0]!.targets[0]!.ceilingCost).equals(mean)).toBe(true);
  });

  it("passes when the cost per request equals the ceiling and the p95 latency equals the budget", async () => {
    const g = await gate(svc);
    expect(new Decimal(g.costPerRequest.mean).equals(mean)).toBe(true);
    expect(g.sample.requests).toBe(40);
    expect(g.latencyP95).toBe(400);
    expect(g).toMatchObject({ pass: true, status: "pass", latencyBudget: 400 });
  });

  it("fails one cent over the ceiling", async () => {
    expect((await setTargets(admin, [{ cohort: null, ceilingCost: mean.minus("0.01").toFixed(), latencyBudgetMs: 400 }])).status).toBe(200);
    const g = await gate(svc);
    expect(g).toMatchObject({ pass: false, status: "fail" });
    expect(g.reasons.join("\n")).toMatch(/over the ceiling/);
  });

  it("fails one millisecond over the latency budget, and uses the cohort's own target", async () => {
    expect(
      (
        await setTargets(admin, [
          { cohort: null, ceilingCost: mean.toFixed(), latencyBudgetMs: 399 },
          { cohort: "pro", ceilingCost: mean.toFixed(), latencyBudgetMs: 400 },
        ])
      ).status,
    ).toBe(200);
    const g = await gate(svc);
    expect(g).toMatchObject({ pass: false, latencyBudget: 399 });
    expect(g.reasons.join("\n")).toMatch(/p95 latency 400 ms is over the budget of 399 ms/);
    expect(await gate(svc, "&cohort=pro")).toMatchObject({ pass: true, latencyBudget: 400 });
  });

  it("is inconclusive, and passes with a warning, below the minimum sample", async () => {
    const g = await gate(viewer, "&minRequests=41");
    expect(g).toMatchObject({ pass: true, status: "inconclusive" });
    expect(g.reasons[0]).toMatch(/^warning: only 40 requests/);
  });

  it("names the field of a bad query", async () => {
    const res = await svc.fetch(`/api/v1/gate?endpoint=${EP}&since=yesterday`);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { errors: { path: string }[] } }).error.errors[0]!.path).toBe("since");
    expect((await svc.fetch(`/api/v1/gate?endpoint=no-such-${run}&since=${encodeURIComponent(since)}`)).status).toBe(404);
  });

  it("drives a CI script through the CLI: exit 0 on pass, 1 on fail", async () => {
    const script = (): Promise<{ code: number; out: string }> =>
      new Promise((resolve) => {
        execFile(
          "bash",
          [path.join(root, "tests", "fixtures", "ci-gate.sh")],
          {
            cwd: root,
            env: {
              ...process.env,
              COST_REVIEW_CLI: `${process.execPath} ${path.join(root, "bin", "cost-review.mjs")}`,
              COST_REVIEW_URL: baseUrl,
              COST_REVIEW_API_KEY: ingestKey,
              ENDPOINT: EP,
              SINCE: since,
            },
          },
          (err, stdout, stderr) => resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, out: `${stdout}${stderr}` }),
        );
      });
    expect((await setTargets(admin, [{ cohort: null, ceilingCost: mean.toFixed(), latencyBudgetMs: 400 }])).status).toBe(200);
    const pass = await script();
    expect(pass.out).toMatch(/^PASS: /m);
    expect(pass.out).toMatch(/gate passed: deploying/);
    expect(pass.code).toBe(0);
    expect((await setTargets(admin, [{ cohort: null, ceilingCost: mean.minus("0.01").toFixed(), latencyBudgetMs: 400 }])).status).toBe(200);
    const fail = await script();
    expect(fail.out).toMatch(/^FAIL: /m);
    expect(fail.out).toMatch(/over the ceiling/);
    expect(fail.out).toMatch(/not deploying/);
    expect(fail.code).toBe(1);
  }, 120_000);
});

type Incident = { id: string; endpoint: string; status: string; hours: { hour: string; requests: number; costPerRequest: string; baseline: string }[]; releasesUrl: string; resolutionNote: string | null };

describe("cost incidents", () => {
  const SPIKE = `spike-${run}`;
  const BLIP = `blip-${run}`;
  const OWNED = `owned-${run}`;
  const window = { from: "2026-03-09T00:00:00Z", to: "2026-03-10T00:00:00Z" };
  let n = 0;
  const requests = (endpoint: string, hour: string, count: number, cost: string) =>
    Array.from({ length: count }, (_, i) => {
      const id = `${endpoint}-${n++}`;
      return { id, timestamp: `${hour}:${String(i).padStart(2, "0")}:00Z`, requestId: id, endpoint, kind: "tool", costUsd: cost };
    });
  const incidentsOf = async (endpoint: string) => ((await (await viewer.fetch(`/api/v1/incidents?endpoint=${endpoint}`)).json()) as { incidents: Incident[] }).incidents;
  const detect = async () => {
    const res = await admin.fetch("/api/v1/incidents/detect", json("POST", window));
    expect(res.status, await res.clone().text()).toBe(200);
    return (await res.json()) as { opened: string[]; extended: string[] };
  };

  beforeAll(async () => {
    await registerEndpoint(OWNED);
    await ingest([
      ...requests(OWNED, "2026-03-08T12", 40, "0.01"),
      ...requests(OWNED, "2026-03-09T10", 20, "0.03"),
      ...requests(OWNED, "2026-03-09T11", 20, "0.03"),
      ...requests(OWNED, "2026-03-09T12", 20, "0.03"),
      // Baselines: the day before, 40 requests at 1 cent.
      ...requests(SPIKE, "2026-03-08T12", 40, "0.01"),
      ...requests(BLIP, "2026-03-08T12", 40, "0.01"),
      // A sustained spike: three hours at 5 cents.
      ...requests(SPIKE, "2026-03-09T10", 20, "0.05"),
      ...requests(SPIKE, "2026-03-09T11", 20, "0.05"),
      ...requests(SPIKE, "2026-03-09T12", 20, "0.05"),
      // A blip: one hour at 5 cents, then back to normal.
      ...requests(BLIP, "2026-03-09T10", 20, "0.05"),
      ...requests(BLIP, "2026-03-09T11", 20, "0.01"),
      ...requests(BLIP, "2026-03-09T12", 20, "0.01"),
    ]);
  });

  it("opens one incident for a sustained spike and none for a one-hour blip", async () => {
    await detect();
    const spike = await incidentsOf(SPIKE);
    expect(spike).toHaveLength(1);
    expect(spike[0]!.status).toBe("open");
    expect(spike[0]!.hours.map((h) => [h.hour, h.requests])).toEqual([
      ["2026-03-09T10:00:00.000Z", 20],
      ["2026-03-09T11:00:00.000Z", 20],
      ["2026-03-09T12:00:00.000Z", 20],
    ]);
    // The baseline of the first hot hour is the day before: 1 cent (times any overhead, like the hour itself).
    const first = spike[0]!.hours[0]!;
    expect(new Decimal(first.costPerRequest).div(first.baseline).toDecimalPlaces(6).equals(5)).toBe(true);
    expect(spike[0]!.releasesUrl).toBe(`/releases?endpoint=${SPIKE}&from=2026-03-08T10%3A00%3A00.000Z&to=2026-03-09T13%3A00%3A00.000Z`);
    expect(await incidentsOf(BLIP)).toHaveLength(0);
  });

  it("does not open a duplicate when detection runs again, and extends the open incident", async () => {
    const again = await detect();
    expect(again).toMatchObject({ opened: [], extended: [] });
    expect(await incidentsOf(SPIKE)).toHaveLength(1);
    await ingest(requests(SPIKE, "2026-03-09T13", 20, "0.05"));
    const extended = await detect();
    const [incident] = await incidentsOf(SPIKE);
    expect(extended.opened).toEqual([]);
    expect(extended.extended).toEqual([incident!.id]);
    expect(incident!.hours).toHaveLength(4);
    const count = await db.query(`SELECT count(*)::int AS n FROM cost_incidents WHERE endpoint = $1`, [SPIKE]);
    expect(count.rows[0].n).toBe(1);
  });

  it("is resolved with a note by an admin, audited, and not reopened for the same hours", async () => {
    const [incident] = await incidentsOf(SPIKE);
    expect((await viewer.fetch(`/api/v1/incidents/${incident!.id}/resolve`, json("POST", { note: "prompt rollback" }))).status).toBe(403);
    // The endpoint has no registered feature, so no owner: only an admin may resolve.
    expect((await owner.fetch(`/api/v1/incidents/${incident!.id}/resolve`, json("POST", { note: "prompt rollback" }))).status).toBe(403);
    const empty = await admin.fetch(`/api/v1/incidents/${incident!.id}/resolve`, json("POST", { note: "" }));
    expect(empty.status).toBe(400);
    expect(((await empty.json()) as { error: { errors: { path: string }[] } }).error.errors[0]!.path).toBe("note");
    const ok = await admin.fetch(`/api/v1/incidents/${incident!.id}/resolve`, json("POST", { note: "prompt rollback" }));
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ status: "resolved", resolutionNote: "prompt rollback" });
    expect((await admin.fetch(`/api/v1/incidents/${incident!.id}/resolve`, json("POST", { note: "again" }))).status).toBe(409);
    const audit = await db.query(`SELECT actor_label, after FROM audit_log WHERE action = 'incident.resolve' AND entity_id = $1`, [incident!.id]);
    expect(audit.rows).toEqual([{ actor_label: "admin@example.com", after: { status: "resolved", note: "prompt rollback" } }]);
    expect(await detect()).toMatchObject({ opened: [], extended: [] });
    expect(await incidentsOf(SPIKE)).toHaveLength(1);
  });

  it("makes the owner of the endpoint's feature the triage owner, who may resolve it", async () => {
    const [incident] = (await incidentsOf(OWNED)) as (Incident & { owner: { email: string } | null })[];
    expect(incident!.owner?.email).toBe("owner@example.com");
    const res = await owner.fetch(`/api/v1/incidents/${incident!.id}/resolve`, json("POST", { note: "expected: longer prompts" }));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "resolved", resolvedBy: "owner@example.com" });
  });

  it("shows the incident and its hours on its page", async () => {
    const [incident] = await incidentsOf(SPIKE);
    const page = await viewer.fetch(`/incidents/${incident!.id}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(SPIKE);
    expect(html).toContain("2026-03-09 10:00 UTC");
    expect(html).toContain("prompt rollback");
  });

  it("lists the incident on the incidents page, linked to its own page, in the shared sortable table", async () => {
    const [incident] = await incidentsOf(SPIKE);
    const page = await viewer.fetch("/incidents");
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(`href="/incidents/${incident!.id}"`);
    expect(html).toContain("2026-03-09 10:00 UTC");
    expect(html).toMatch(/<th aria-sort="none"[^>]*><button[^>]*>Peak cost \/ request/);
  });
});
