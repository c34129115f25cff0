// What if over real HTTP and PostgreSQL: twelve requests of an endpoint of this file's own, in ISO week
// 2016-W10 (7–13 March 2016, this file's only week), priced by two price entries of a provider of its own.
// The identity candidate reproduces the rollup's actual to the last digit; a candidate model (with a
// long-context tier) and a service tier equal a re-pricing computed here from the entries' rates; a
// self-hosted fleet matches a hand-computed example and its break-even volume; bad input is a 400 naming
// the field and an unknown endpoint a 404.
import { execFile } from "node:child_process";
import path from "node:path";
import Decimal from "decimal.js";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { DEMO_PASSWORD } from "@/lib/demo/generate-org";
import { callJson, signIn, withKey, type Session } from "../support/http";

const root = path.resolve(import.meta.dirname, "..", "..");
const baseUrl = inject("baseUrl");
const db = new pg.Pool({ connectionString: inject("databaseUrl"), max: 1 });
const run = `wi${Date.now().toString(36)}`;
const EP = `whatif-${run}`;
const PROVIDER = `acme-${run}`;
const FROM = "2016-03-07";
const TO = "2016-03-13";
let admin: Session;
let adminKey = "";
let owner: Session;
let viewer: Session;
let svc: Session;
let overheadPct = new Decimal(0);
const OVERHEAD_PCT = "12.5";
const TARGET = "0.01";
const CEILING = "0.015";
const REVENUE = "0.05";
/** Over the ceiling, over the target, or neither (lib/targets breachOf), computed here. */
const breachOf = (mean: string) => (new Decimal(mean).gt(CEILING) ? "ceiling" : new Decimal(mean).gt(TARGET) ? "target" : null);
let savedOverhead: { globalPercent: string | null; perFeature: Record<string, string> } | null = null;

// Request i has one llm event of model alpha with 600 × k[i] tokens: 400k input, 100k cache read, 100k output.
const K = [3, 4, 5, 6, 7, 5, 4, 6, 5, 5, 5, 5];
const tokensOf = (k: number) => ({ inputTokens: 400 * k, cacheReadTokens: 100 * k, outputTokens: 100 * k });
/** Request 3's llm event carries the vendor's billed cost; requests 1 and 5 also call a billed tool. */
const BILLED_LLM = 3;
const BILLED_LLM_USD = "0.05";
const TOOL_REQUESTS = [1, 5];
const TOOL_USD = "0.01";

const ALPHA = { input: "3.00000071", cacheRead: "0.3", output: "15" };
const BETA = { input: "0.5", cacheRead: "0.05", output: "2" };
// Beta's long-context tier: prompts (input + cache read) strictly above 2,500 tokens, i.e. k ≥ 6.
const BETA_TIER = { above: 2500, input: "1", cacheRead: "0.1", output: "4" };

type Outcome = {
  requests: number;
  totalUsd: string;
  costPerRequest: { mean: string | null; p50: string | null; p95: string | null };
  weeklyUsd: string;
  monthlyUsd: string;
  atGrowth: { growth: string; requestsPerWeek: string; weeklyUsd: string; monthlyUsd: string };
  verdict: { breach: string | null; gatePasses: boolean | null };
  marginPerRequest: string | null;
  unpricedEvents: number;
  incompleteEvents: number;
};
type CandidateResult = Outcome & {
  name: string;
  repricedEvents: number;
  billedRepriced: number;
  unpricedReasons: string[];
  selfHosted: null | {
    busyGpuHours: string;
    gpuHoursAtTarget: string;
    gpus: number;
    paidGpuHours: number;
    fleetCostUsd: string;
    impliedUtilisationPct: string;
    atGrowth: { gpus: number; impliedUtilisationPct: string };
    breakEvenRequestsPerWeek: number | null;
  };
};
type Result = {
  window: { from: string; to: string; days: number };
  quality: { metric: string | null; value: string | null; samples: number; note: string };
  actual: Outcome;
  candidates: CandidateResult[];
};
type ErrorBody = { error: { code: string; errors?: { path: string; message: string }[] } };

const perMillion = (tokens: number, rate: string) => new Decimal(tokens).times(rate).div(1_000_000);
const costAt = (k: number, r: { input: string; cacheRead: string; output: string }) => {
  const t = tokensOf(k);
  return perMillion(t.inputTokens, r.input).plus(perMillion(t.cacheReadTokens, r.cacheRead)).plus(perMillion(t.outputTokens, r.output));
};
const round12 = (d: Decimal) => d.toDecimalPlaces(12, Decimal.ROUND_HALF_UP);
/** A request's total the way the rollup loads it: base + round(base × overhead / 100, 12). */
const loaded = (base: Decimal) => base.plus(round12(base.times(overheadPct).div(100)));
const toolOf = (i: number) => (TOOL_REQUESTS.includes(i) ? new Decimal(TOOL_USD) : new Decimal(0));
/** Count, total, mean, median and p95 of per-request totals, computed here. */
function summary(totals: Decimal[]) {
  const sorted = [...totals].sort((a, b) => a.comparedTo(b));
  const q = (p: number) => {
    const pos = p * (sorted.length - 1);
    const lo = Math.floor(pos);
    const hi = Math.ceil(pos);
    return round12(sorted[lo]!.plus(sorted[hi]!.minus(sorted[lo]!).times(new Decimal(pos).minus(lo)))).toFixed();
  };
  const total = totals.reduce((s, t) => s.plus(t), new Decimal(0));
  return { total: total.toFixed(), mean: round12(total.div(totals.length)).toFixed(), p50: q(0.5), p95: q(0.95) };
}

async function whatif(who: Session, body: unknown) {
  return callJson<Result & ErrorBody>(who, "POST", "/api/v1/whatif", body);
}
const scenario = (candidates: unknown[], extra: Record<string, unknown> = {}) => ({ endpoint: EP, from: FROM, to: TO, candidates, ...extra });

beforeAll(async () => {
  const session = await signIn(baseUrl, "admin@example.com", DEMO_PASSWORD);
  const keyRes = await session.fetch("/api/v1/api-keys", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ name: `whatif ${run}`, scope: "admin" }) });
  adminKey = ((await keyRes.json()) as { key: string }).key;
  admin = withKey(baseUrl, adminKey);
  owner = await signIn(baseUrl, "owner@example.com", DEMO_PASSWORD);
  viewer = await signIn(baseUrl, "viewer@example.com", DEMO_PASSWORD);
  const ingestRes = await session.fetch("/api/v1/api-keys", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ name: `whatif ingest ${run}`, scope: "ingest" }) });
  svc = withKey(baseUrl, ((await ingestRes.json()) as { key: string }).key);

  // A feature and endpoint of this file's own, and an overhead for that feature with digits enough that
  // the rollup must round it.
  await db.query("INSERT INTO features (slug, name, team_id) SELECT $1, $1, team_id FROM features WHERE slug = 'chat'", [run]);
  await db.query("INSERT INTO endpoints (slug, name, feature_id) SELECT $1, $1, id FROM features WHERE slug = $2", [EP, run]);
  // Targets (a ceiling the actual is over and the batch tier is within), a revenue, and a primary quality metric.
  const targets = await callJson(admin, "PUT", "/api/v1/targets", { endpoint: EP, primaryMetric: "task_success", targets: [{ cohort: null, targetCost: TARGET, ceilingCost: CEILING, revenuePerRequest: REVENUE }] });
  expect(targets.status, JSON.stringify(targets.body)).toBe(200);
  const quality = await callJson(svc, "POST", "/api/v1/quality", { rows: [{ day: "2016-03-08", endpoint: EP, metric: "task_success", value: "0.9", samples: 100 }] });
  expect(quality.status, JSON.stringify(quality.body)).toBe(200);

  const oh = (await callJson<{ overhead: { globalPercent: string | null; perFeature: Record<string, string> } }>(admin, "GET", "/api/v1/settings/overhead")).body.overhead;
  savedOverhead = oh;
  const put = await callJson(admin, "PUT", "/api/v1/settings/overhead", { globalPercent: oh.globalPercent, perFeature: { ...oh.perFeature, [run]: OVERHEAD_PCT } });
  expect(put.status, JSON.stringify(put.body)).toBe(200);
  overheadPct = new Decimal(OVERHEAD_PCT);

  const prices = [
    { provider: PROVIDER, model: "alpha", effectiveFrom: "2016-01-01", effectiveTo: "2017-01-01", inputPerMTok: ALPHA.input, cacheReadPerMTok: ALPHA.cacheRead, outputPerMTok: ALPHA.output, serviceTiers: { batch: { multiplier: "0.5" } }, source: `whatif test ${run}` },
    {
      provider: PROVIDER, model: "beta", effectiveFrom: "2016-01-01", effectiveTo: "2017-01-01", inputPerMTok: BETA.input, cacheReadPerMTok: BETA.cacheRead, outputPerMTok: BETA.output,
      tiers: [{ aboveTokens: BETA_TIER.above, inputPerMTok: BETA_TIER.input, cacheReadPerMTok: BETA_TIER.cacheRead, outputPerMTok: BETA_TIER.output }],
      source: `whatif test ${run}`,
    },
  ];
  for (const entry of prices) {
    const r = await callJson(admin, "POST", "/api/v1/prices", { entry });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
  }
  const events: Record<string, unknown>[] = [];
  K.forEach((k, i) => {
    const ts = `2016-03-${String(8 + (i % 3)).padStart(2, "0")}T12:${String(i).padStart(2, "0")}:00Z`;
    const requestId = `${run}-r${i}`;
    const tags = { requestId, endpoint: EP, feature: run, cohort: "pro" };
    events.push({ id: `${run}-llm${i}`, timestamp: ts, kind: "llm", provider: PROVIDER, model: "alpha", usage: tokensOf(k), ...tags, ...(i === BILLED_LLM ? { costUsd: BILLED_LLM_USD } : {}) });
    if (TOOL_REQUESTS.includes(i)) events.push({ id: `${run}-tool${i}`, timestamp: ts, kind: "tool", costUsd: TOOL_USD, ...tags });
  });
  const res = await callJson<{ accepted: number }>(svc, "POST", "/api/v1/events", { events });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  expect(res.body.accepted).toBe(events.length);
  expect((await admin.fetch("/api/v1/rollups/refresh", { method: "POST" })).status).toBe(200);
});

afterAll(async () => {
  await db.query("UPDATE contracts SET retired_at = CURRENT_TIMESTAMP WHERE provider = $1 AND retired_at IS NULL", [PROVIDER]);
  if (savedOverhead) await callJson(admin, "PUT", "/api/v1/settings/overhead", savedOverhead);
  await db.query("UPDATE price_entries SET retired_at = CURRENT_TIMESTAMP WHERE provider = $1 AND retired_at IS NULL", [PROVIDER]);
  await db.end();
});

/** The actual per-request totals, computed here from the entries' rates (alpha, billed and tool costs). */
const actualTotals = () => K.map((k, i) => loaded((i === BILLED_LLM ? new Decimal(BILLED_LLM_USD) : costAt(k, ALPHA)).plus(toolOf(i))));

describe("what if", () => {
  it("the identity candidate reproduces the window's actual to the last digit", async () => {
    const r = await whatif(viewer, scenario([{ name: "as is" }]));
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const { actual } = r.body;
    const [same] = r.body.candidates;
    expect(r.body.window).toMatchObject({ from: FROM, to: TO, days: 7 });
    // The actual is the rollup's: request_facts of the window, which the events' own prices explain.
    const { rows } = await db.query<{ n: number; total: string }>("SELECT count(*)::int AS n, sum(total_cost)::text AS total FROM request_facts WHERE endpoint = $1", [EP]);
    expect(actual.requests).toBe(12);
    expect(rows[0]!.n).toBe(12);
    expect(new Decimal(actual.totalUsd).eq(rows[0]!.total)).toBe(true);
    const expected = summary(actualTotals());
    expect(new Decimal(actual.totalUsd).eq(expected.total)).toBe(true);
    expect(actual.costPerRequest).toEqual({ mean: expected.mean, p50: expected.p50, p95: expected.p95 });
    // Verdicts and margin against the endpoint's targets; quality shown as reported, a caveat.
    expect(breachOf(expected.mean)).toBe("ceiling");
    expect(actual.verdict).toMatchObject({ breach: "ceiling", gatePasses: false });
    expect(actual.marginPerRequest).toBe(new Decimal(REVENUE).minus(expected.mean).toFixed());
    expect(r.body.quality).toMatchObject({ metric: "task_success", value: "0.9", samples: 100 });
    expect(r.body.quality.note).toMatch(/not simulated/);
    // Identity: every figure equal, digit for digit.
    for (const key of ["requests", "totalUsd", "costPerRequest", "weeklyUsd", "monthlyUsd", "atGrowth", "verdict", "unpricedEvents", "incompleteEvents"] as const) {
      expect(same![key], key).toEqual(actual[key]);
    }
    expect(same!.repricedEvents).toBe(12);
    expect(same!.billedRepriced).toBe(0);
    // A week's window: weekly = total; monthly = weekly × 365 / 84.
    expect(actual.weeklyUsd).toBe(round12(new Decimal(expected.total)).toFixed());
    expect(actual.monthlyUsd).toBe(round12(new Decimal(expected.total).times(365).div(84)).toFixed());
  });

  it("a candidate model (its tier and its contract) and a service tier equal a re-pricing of the same requests computed here from the entries' rates", async () => {
    // A 20 % contract on beta: no stored event is beta, so only the candidate feels it.
    const contract = await callJson<{ diff: { events: number } }>(admin, "POST", "/api/v1/contracts", {
      contract: { provider: PROVIDER, model: "beta", percentOff: "20", effectiveFrom: "2016-01-01", effectiveTo: "2017-01-01", note: `whatif ${run}` },
    });
    expect(contract.status, JSON.stringify(contract.body)).toBe(201);
    expect(contract.body.diff.events).toBe(0);
    const r = await whatif(admin, scenario([
      { name: "beta", provider: PROVIDER, model: "beta" },
      { name: "alpha batch", serviceTier: "batch" },
      { name: "nowhere", provider: PROVIDER, model: "gamma" },
    ], { growth: "2.5" }));
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const [beta, batch, nowhere] = r.body.candidates;

    const betaTotals = K.map((k, i) => loaded(round12(costAt(k, 600 * k - 100 * k > BETA_TIER.above ? BETA_TIER : BETA).times("0.8")).plus(toolOf(i))));
    const b = summary(betaTotals);
    expect(new Decimal(beta!.totalUsd).eq(b.total)).toBe(true);
    expect(beta!.costPerRequest).toEqual({ mean: b.mean, p50: b.p50, p95: b.p95 });
    expect(beta!.billedRepriced).toBe(1);
    expect(beta!.unpricedEvents).toBe(0);
    expect(beta!.atGrowth).toEqual({
      growth: "2.5",
      requestsPerWeek: "30",
      weeklyUsd: round12(new Decimal(b.total).times("2.5")).toFixed(),
      monthlyUsd: round12(new Decimal(b.total).times("2.5").times(365).div(84)).toFixed(),
    });

    const batchTotals = K.map((k, i) => loaded(costAt(k, ALPHA).div(2).plus(toolOf(i))));
    const h = summary(batchTotals);
    expect(new Decimal(batch!.totalUsd).eq(h.total)).toBe(true);
    expect(batch!.costPerRequest.mean).toBe(h.mean);
    // The batch tier would pass the gate the actual fails.
    expect(breachOf(h.mean)).toBeNull();
    expect(batch!.verdict).toMatchObject({ breach: null, gatePasses: true });
    expect(beta!.verdict).toMatchObject({ breach: breachOf(b.mean), gatePasses: !new Decimal(b.mean).gt(CEILING) });
    expect(beta!.marginPerRequest).toBe(new Decimal(REVENUE).minus(b.mean).toFixed());

    // No price for gamma: every llm event is counted and named, never guessed; the tools still count.
    expect(nowhere!.unpricedEvents).toBe(12);
    expect(nowhere!.unpricedReasons[0]).toMatch(new RegExp(`no price for ${PROVIDER}/gamma`));
    expect(new Decimal(nowhere!.totalUsd).eq(loaded(new Decimal(TOOL_USD)).times(2))).toBe(true);
  });

  it("a self-hosted fleet matches a hand-computed example, and breaks even where hand arithmetic says", async () => {
    // 36,000 tokens at 1 token/s per GPU = 10 busy GPU-hours in a 168-hour week. At 50 % target
    // utilisation one GPU holds 84 busy hours, so the fleet is 1 GPU: 168 h × $2.50 = $420, used
    // 10/168 = 5.9524 %, 20 GPU-hours at the target. At 10× traffic: 100 busy hours → 2 GPUs.
    // Each request's share is 420 × its tokens / 36,000 = 7 × k (k × 600 tokens).
    const slow = { hourlyUsd: "2.50", tokensPerSecondPerGpu: 1, targetUtilisationPct: 50 };
    // 1,000,000 tokens/s: 0.036 busy seconds, so one GPU is never full and break-even is
    // ceil(one GPU-week ÷ saving per request).
    const fast = { hourlyUsd: "2.50", tokensPerSecondPerGpu: 1_000_000, targetUtilisationPct: 50 };
    const r = await whatif(admin, scenario([{ name: "slow GPUs", selfHosted: slow }, { name: "fast GPUs", selfHosted: fast }], { growth: 10 }));
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const [s, f] = r.body.candidates;
    expect(s!.selfHosted).toMatchObject({
      busyGpuHours: "10",
      gpuHoursAtTarget: "20",
      gpus: 1,
      paidGpuHours: 168,
      fleetCostUsd: "420",
      impliedUtilisationPct: "5.9524",
      atGrowth: { gpus: 2, impliedUtilisationPct: "29.7619" },
      // Saving per request is cents; a GPU-week holds 100.8 requests at $4.17 each: never.
      breakEvenRequestsPerWeek: null,
    });
    const slowTotals = K.map((k, i) => loaded(new Decimal(7 * k).plus(toolOf(i))));
    expect(new Decimal(s!.totalUsd).eq(summary(slowTotals).total)).toBe(true);
    // At 10×: the tools ×10, the fleet two GPUs: 2 × 420, each loaded with the overhead.
    const grown = new Decimal(TOOL_USD).times(2).times(10).plus(840).times(new Decimal(1).plus(overheadPct.div(100)));
    expect(new Decimal(s!.atGrowth.weeklyUsd).minus(grown).abs().lte("0.000000000001")).toBe(true);

    // Fast: per request the hosted actual costs a = actual weekly / 12, the candidate without its fleet
    // x = the tool costs / 12 (loaded); one GPU-week loaded is 420 × (1 + overhead).
    const a = new Decimal(r.body.actual.weeklyUsd).div(12);
    const x = loaded(new Decimal(TOOL_USD)).times(2).div(12);
    const oneGpuWeek = new Decimal(420).times(new Decimal(1).plus(overheadPct.div(100)));
    const breakEven = oneGpuWeek.div(a.minus(x)).ceil().toNumber();
    expect(f!.selfHosted!.gpus).toBe(1);
    expect(f!.selfHosted!.breakEvenRequestsPerWeek).toBe(breakEven);
    // Check the claim itself: at that volume self-hosting is no dearer, one request fewer it is.
    const atVolume = (n: number) => ({ hosted: a.times(n), self: x.times(n).plus(oneGpuWeek) });
    expect(atVolume(breakEven).self.lte(atVolume(breakEven).hosted)).toBe(true);
    expect(atVolume(breakEven - 1).self.gt(atVolume(breakEven - 1).hosted)).toBe(true);
  });

  it("bad input is a 400 naming the field; an unknown endpoint a 404; an ingest key may not ask", async () => {
    const cases: [unknown, string][] = [
      [scenario([]), "candidates"],
      [scenario([{ provider: PROVIDER }]), "candidates.0.model"],
      [scenario([{ cacheHitRatePct: 101 }]), "candidates.0.cacheHitRatePct"],
      [scenario([{ selfHosted: { hourlyUsd: "2", targetUtilisationPct: 50 } }]), "candidates.0.selfHosted.tokensPerSecondPerGpu"],
      [scenario([{}], { to: "2016-04-30" }), "to"],
      [scenario([{}], { growth: "-1" }), "growth"],
      [{ ...scenario([{}]), endpoint: "" }, "endpoint"],
      [scenario([{ colour: "blue" }]), "candidates.0"],
    ];
    for (const [body, path] of cases) {
      const r = await whatif(admin, body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error.code).toBe("invalid_request");
      expect(r.body.error.errors?.map((e) => e.path), JSON.stringify(r.body)).toContain(path);
    }
    const missing = await whatif(admin, { ...scenario([{}]), endpoint: `nope-${run}` });
    expect(missing.status).toBe(404);
    expect((await whatif(svc, scenario([{}]))).status).toBe(403);
  });

  it("saves a scenario under a name (owners, audited), lists it, and opens it by id with the same answer", async () => {
    const body = scenario([{ name: "beta", provider: PROVIDER, model: "beta" }], { growth: "2.5" });
    expect((await callJson(viewer, "POST", "/api/v1/scenarios", { name: "beta swap", scenario: body })).status).toBe(403);
    const bad = await callJson<ErrorBody>(owner, "POST", "/api/v1/scenarios", { name: "", scenario: { ...body, candidates: [{ outputCap: -1 }] } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.errors?.map((e) => e.path).sort()).toEqual(["name", "scenario.candidates.0.outputCap"]);
    const unknown = await callJson(owner, "POST", "/api/v1/scenarios", { name: "x", scenario: { ...body, endpoint: `nope-${run}` } });
    expect(unknown.status).toBe(404);

    const saved = await callJson<{ id: string; name: string; endpoint: string; createdBy: string }>(owner, "POST", "/api/v1/scenarios", { name: "beta swap", scenario: body });
    expect(saved.status, JSON.stringify(saved.body)).toBe(201);
    expect(saved.body).toMatchObject({ name: "beta swap", endpoint: EP, createdBy: "owner@example.com" });
    const audit = await db.query("SELECT action FROM audit_log WHERE entity_type = 'whatif_scenario' AND entity_id = $1", [saved.body.id]);
    expect(audit.rows.map((r) => r.action)).toEqual(["whatif_scenario.create"]);

    const list = await callJson<{ scenarios: { id: string }[] }>(viewer, "GET", `/api/v1/scenarios?endpoint=${encodeURIComponent(EP)}`);
    expect(list.body.scenarios.map((x) => x.id)).toEqual([saved.body.id]);
    const opened = await callJson<{ name: string; result: Result }>(viewer, "GET", `/api/v1/scenarios/${saved.body.id}`);
    expect(opened.status).toBe(200);
    const direct = await whatif(viewer, body);
    expect(opened.body.result).toEqual(direct.body);
    expect((await callJson(viewer, "GET", "/api/v1/scenarios/00000000-0000-4000-8000-000000000000")).status).toBe(404);
  });

  it("`cost-review whatif` prints the comparison table, and the fields to fix when refused", async () => {
    const cli = (args: string[]) =>
      new Promise<{ code: number; text: string }>((resolve) => {
        execFile(process.execPath, [path.join(root, "bin", "cost-review.mjs"), "whatif", ...args, "--url", baseUrl, "--key", adminKey], { cwd: root }, (err, stdout, stderr) =>
          resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, text: `${stdout}${stderr}` }),
        );
      });
    const ok = await cli(["--endpoint", EP, "--from", FROM, "--to", TO, "--candidate", JSON.stringify({ name: "beta", provider: PROVIDER, model: "beta" }), "--candidate", JSON.stringify({ name: "own GPUs", selfHosted: { hourlyUsd: "2.50", tokensPerSecondPerGpu: 1, targetUtilisationPct: 50 } })]);
    expect(ok.code, ok.text).toBe(0);
    expect(ok.text).toMatch(new RegExp(`What if: ${EP}, ${FROM} to ${TO}`));
    expect(ok.text).toMatch(/^actual\s+12\s/m);
    expect(ok.text).toMatch(/^beta\s+12\s/m);
    expect(ok.text).toMatch(/Quality is not simulated: in the window task_success was 0\.9 over 100 samples/);
    expect(ok.text).toMatch(/own GPUs: 1 GPU for 168 h = \$420\.00; busy 10 GPU-h \(20 at the target\), utilisation 5\.9524%/);
    const refused = await cli(["--endpoint", EP, "--candidate", JSON.stringify({ cacheHitRatePct: 150 })]);
    expect(refused.code).toBe(1);
    expect(refused.text).toMatch(/candidates\.0\.cacheHitRatePct/);
  }, 60_000);
});
