// A release decided on a what-if scenario, over real HTTP and PostgreSQL: an endpoint of this file's own
// serves four requests on model alpha in ISO week 2015-W20 (11–17 May 2015); a scenario saved on that week
// proposes model beta; a release records it (candidate 2) and ships on 18 May. Until traffic arrives after
// shipping the release shows the projection alone; once three beta requests arrive, it shows the projection
// (beta re-pricing of the week before, computed here from the rates) against the actual after shipping
// (computed here too), digit for digit. Attaching a scenario that does not exist, of an endpoint the release
// does not touch, or a candidate it does not have is a 400 naming the field; deleting the scenario detaches it.
import Decimal from "decimal.js";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { DEMO_PASSWORD } from "@/lib/demo/generate-org";
import { callJson, signIn, withKey, type Session } from "../support/http";

const baseUrl = inject("baseUrl");
const db = new pg.Pool({ connectionString: inject("databaseUrl"), max: 1 });
const run = `rs${Date.now().toString(36)}`;
const EP = `relscen-${run}`;
const PROVIDER = `acme-${run}`;
const FROM = "2015-05-11";
const TO = "2015-05-17";
const SHIPPED = "2015-05-18T00:00:00.000Z";
const ALPHA = { input: "4", output: "12" };
const BETA = { input: "0.7", output: "2.1" };
/** Before shipping: request i has 1000 × k input and 100 × k output tokens, model alpha. */
const BEFORE_K = [2, 3, 5, 7];
/** After shipping: model beta, the same shape. */
const AFTER_K = [1, 4, 9];
const tokensOf = (k: number) => ({ inputTokens: 1000 * k, outputTokens: 100 * k });
const costAt = (k: number, r: { input: string; output: string }) =>
  new Decimal(1000 * k).times(r.input).div(1_000_000).plus(new Decimal(100 * k).times(r.output).div(1_000_000));
const round12 = (d: Decimal) => d.toDecimalPlaces(12, Decimal.ROUND_HALF_UP);

/** Mean, median and p95 (linear interpolation), rounded to 12 places, computed here. */
function stats(values: Decimal[]) {
  const sorted = [...values].sort((a, b) => a.comparedTo(b));
  const q = (p: number) => {
    const pos = new Decimal(p).times(sorted.length - 1);
    const lo = pos.floor().toNumber();
    const hi = pos.ceil().toNumber();
    return round12(sorted[lo]!.plus(sorted[hi]!.minus(sorted[lo]!).times(pos.minus(lo)))).toFixed();
  };
  const total = values.reduce((s, v) => s.plus(v), new Decimal(0));
  return { requests: values.length, mean: round12(total.div(values.length)).toFixed(), p50: q(0.5), p95: q(0.95) };
}

type Side = { requests: number; mean: string | null; p50: string | null; p95: string | null };
type ScenarioCheck = {
  scenario: { id: string; name: string; endpoint: string; candidate: number; candidateName: string };
  window: { from: string; to: string };
  before: Side;
  projected: Side & { unpricedEvents: number };
  after: (Side & { from: string; to: string }) | null;
  difference: { meanUsd: string; pct: string | null } | null;
  waiting: string | null;
};
type ReleaseBody = { release: { id: string; scenarioId: string | null; scenarioCandidate: number | null }; scenarioCheck: ScenarioCheck | null };
type ErrorBody = { error: { code: string; errors?: { path: string; message: string }[] } };

let admin: Session;
let owner: Session;
let viewer: Session;
let svc: Session;
let scenarioId = "";
let otherScenarioId = "";
let releaseId = "";
let savedOverhead: { globalPercent: string | null; perFeature: Record<string, string> } | null = null;

async function ingest(events: Record<string, unknown>[]) {
  const res = await callJson<{ accepted: number }>(svc, "POST", "/api/v1/events", { events });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  expect(res.body.accepted).toBe(events.length);
  expect((await admin.fetch("/api/v1/rollups/refresh", { method: "POST" })).status).toBe(200);
}

const llm = (i: number, k: number, model: string, day: string, tag: string) => ({
  id: `${run}-${tag}${i}`,
  timestamp: `${day}T10:${String(i).padStart(2, "0")}:00Z`,
  kind: "llm",
  provider: PROVIDER,
  model,
  usage: tokensOf(k),
  requestId: `${run}-${tag}-r${i}`,
  endpoint: EP,
  feature: run,
});

beforeAll(async () => {
  const session = await signIn(baseUrl, "admin@example.com", DEMO_PASSWORD);
  const key = await session.fetch("/api/v1/api-keys", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ name: `relscen ${run}`, scope: "admin" }) });
  admin = withKey(baseUrl, ((await key.json()) as { key: string }).key);
  const ingestKey = await session.fetch("/api/v1/api-keys", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ name: `relscen ingest ${run}`, scope: "ingest" }) });
  svc = withKey(baseUrl, ((await ingestKey.json()) as { key: string }).key);
  owner = await signIn(baseUrl, "owner@example.com", DEMO_PASSWORD);
  viewer = await signIn(baseUrl, "viewer@example.com", DEMO_PASSWORD);

  await db.query("INSERT INTO features (slug, name, team_id) SELECT $1, $1, team_id FROM features WHERE slug = 'chat'", [run]);
  await db.query("INSERT INTO endpoints (slug, name, feature_id) SELECT $1, $1, id FROM features WHERE slug = $2", [EP, run]);
  // No overhead on this feature (an override of 0 wins over the global percentage): costs are the rates' alone.
  savedOverhead = (await callJson<{ overhead: { globalPercent: string | null; perFeature: Record<string, string> } }>(admin, "GET", "/api/v1/settings/overhead")).body.overhead;
  const put = await callJson(admin, "PUT", "/api/v1/settings/overhead", { globalPercent: savedOverhead.globalPercent, perFeature: { ...savedOverhead.perFeature, [run]: "0" } });
  expect(put.status, JSON.stringify(put.body)).toBe(200);
  for (const [model, r] of [["alpha", ALPHA], ["beta", BETA]] as const) {
    const res = await callJson(admin, "POST", "/api/v1/prices", {
      entry: { provider: PROVIDER, model, effectiveFrom: "2015-01-01T00:00:00Z", effectiveTo: "2016-01-01T00:00:00Z", inputPerMTok: r.input, outputPerMTok: r.output, source: `relscen ${run}` },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  }
  await ingest(BEFORE_K.map((k, i) => llm(i, k, "alpha", "2015-05-13", "b")));

  const saved = await callJson<{ id: string }>(owner, "POST", "/api/v1/scenarios", {
    name: `beta for ${run}`,
    scenario: { endpoint: EP, from: FROM, to: TO, candidates: [{ name: "as is" }, { name: "beta", provider: PROVIDER, model: "beta" }] },
  });
  expect(saved.status, JSON.stringify(saved.body)).toBe(201);
  scenarioId = saved.body.id;
  const other = await callJson<{ id: string }>(owner, "POST", "/api/v1/scenarios", { name: `chat ${run}`, scenario: { endpoint: "chat.answer", candidates: [{ name: "as is" }] } });
  expect(other.status, JSON.stringify(other.body)).toBe(201);
  otherScenarioId = other.body.id;
});

afterAll(async () => {
  if (savedOverhead) await callJson(admin, "PUT", "/api/v1/settings/overhead", savedOverhead);
  await db.query("UPDATE price_entries SET retired_at = CURRENT_TIMESTAMP WHERE provider = $1 AND retired_at IS NULL", [PROVIDER]);
  await db.end();
});

const fieldsOf = (b: ErrorBody) => (b.error.errors ?? []).map((e) => e.path);

describe("a release with a what-if scenario", () => {
  it("refuses a scenario that does not exist, of an endpoint the release does not touch, or a candidate it does not have", async () => {
    const base = { version: `rs ${run} x`, title: "refused", shippedAt: SHIPPED, endpoints: [EP] };
    const none = await callJson<ErrorBody>(admin, "POST", "/api/v1/releases", { ...base, scenarioId: "00000000-0000-4000-8000-000000000000" });
    expect(none.status).toBe(400);
    expect(fieldsOf(none.body)).toEqual(["scenarioId"]);
    const elsewhere = await callJson<ErrorBody>(admin, "POST", "/api/v1/releases", { ...base, scenarioId: otherScenarioId });
    expect(elsewhere.status).toBe(400);
    expect(fieldsOf(elsewhere.body)).toEqual(["scenarioId"]);
    expect(elsewhere.body.error.errors![0]!.message).toMatch(/chat\.answer/);
    const third = await callJson<ErrorBody>(admin, "POST", "/api/v1/releases", { ...base, scenarioId, scenarioCandidate: 3 });
    expect(third.status).toBe(400);
    expect(fieldsOf(third.body)).toEqual(["scenarioCandidate"]);
    const loose = await callJson<ErrorBody>(admin, "POST", "/api/v1/releases", { ...base, scenarioCandidate: 1 });
    expect(loose.status).toBe(400);
    expect(fieldsOf(loose.body)).toEqual(["scenarioCandidate"]);
    // Nothing was recorded.
    const { rows } = await db.query("SELECT 1 FROM releases WHERE version = $1", [base.version]);
    expect(rows).toHaveLength(0);
  });

  it("shows the projection alone until requests arrive after shipping", async () => {
    const created = await callJson<ReleaseBody & ErrorBody>(owner, "POST", "/api/v1/releases", {
      version: `rs ${run}`,
      title: "move to beta",
      shippedAt: SHIPPED,
      endpoints: [EP],
      scenarioId,
      scenarioCandidate: 2,
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    releaseId = created.body.release.id;
    expect(created.body.release).toMatchObject({ scenarioId, scenarioCandidate: 2 });
    const audit = await db.query<{ after: { scenarioId: string; scenarioCandidate: number } }>("SELECT after FROM audit_log WHERE entity_id = $1 AND action = 'release.create'", [releaseId]);
    expect(audit.rows[0]!.after).toMatchObject({ scenarioId, scenarioCandidate: 2 });

    const r = await callJson<ReleaseBody>(viewer, "GET", `/api/v1/releases/${releaseId}`);
    expect(r.status).toBe(200);
    const check = r.body.scenarioCheck!;
    expect(check.scenario).toMatchObject({ id: scenarioId, endpoint: EP, candidate: 2, candidateName: "beta" });
    expect(check.window).toMatchObject({ from: FROM, to: TO });
    const before = stats(BEFORE_K.map((k) => costAt(k, ALPHA)));
    const projected = stats(BEFORE_K.map((k) => costAt(k, BETA)));
    expect(check.before).toEqual(before);
    expect(check.projected).toEqual({ ...projected, unpricedEvents: 0 });
    expect(check.after).toBeNull();
    expect(check.difference).toBeNull();
    expect(check.waiting).toMatch(/No request/);
  });

  it("sets the projection against the actual cost per request after shipping, exactly", async () => {
    await ingest(AFTER_K.map((k, i) => llm(i, k, "beta", "2015-05-19", "a")));
    const r = await callJson<ReleaseBody>(viewer, "GET", `/api/v1/releases/${releaseId}`);
    expect(r.status).toBe(200);
    const check = r.body.scenarioCheck!;
    const projected = stats(BEFORE_K.map((k) => costAt(k, BETA)));
    const after = stats(AFTER_K.map((k) => costAt(k, BETA)));
    expect(check.projected).toEqual({ ...projected, unpricedEvents: 0 });
    expect(check.after).toMatchObject(after);
    expect(check.after!.from).toBe(SHIPPED);
    const diff = new Decimal(after.mean).minus(projected.mean);
    expect(check.difference).toEqual({ meanUsd: diff.toFixed(), pct: diff.div(projected.mean).times(100).toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed() });
    expect(check.waiting).toBeNull();

    // The release page shows it to a reader.
    const page = await viewer.fetch(`/releases/${releaseId}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("Projected against actual");
    expect(html).toContain("Projected: beta");
    expect(html).toContain("Actual after shipping");
  });

  it("changes the candidate, and detaches the scenario when it is deleted", async () => {
    const patched = await callJson<ReleaseBody & ErrorBody>(admin, "PATCH", `/api/v1/releases/${releaseId}`, { scenarioCandidate: 1 });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect(patched.body.release).toMatchObject({ scenarioId, scenarioCandidate: 1 });
    const asIs = await callJson<ReleaseBody>(viewer, "GET", `/api/v1/releases/${releaseId}`);
    // Candidate 1 changes nothing: its projection is the week as served.
    expect(asIs.body.scenarioCheck!.projected).toEqual({ ...asIs.body.scenarioCheck!.before, unpricedEvents: 0 });
    // Touching only another endpoint would leave the scenario's endpoint: refused.
    const away = await callJson<ErrorBody>(admin, "PATCH", `/api/v1/releases/${releaseId}`, { endpoints: ["chat.answer"] });
    expect(away.status).toBe(400);
    expect(fieldsOf(away.body)).toEqual(["scenarioId"]);

    await db.query("DELETE FROM whatif_scenarios WHERE id = $1", [scenarioId]);
    const gone = await callJson<ReleaseBody>(viewer, "GET", `/api/v1/releases/${releaseId}`);
    expect(gone.body.release).toMatchObject({ scenarioId: null });
    expect(gone.body.scenarioCheck).toBeNull();
  });
});
