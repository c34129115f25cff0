// Every route handler, page and server action, called as every kind of principal, over real HTTP:
// allowed calls get through the guard, refused ones get 401/403 (pages: sign-in redirect or 403).
import { readFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { DEMO_PASSWORD } from "@/lib/demo/generate-org";
import { signIn, withKey, type Session } from "../support/http";
import { signInEveryone } from "../support/principals";
import { exportedMethods, root, routeFiles, routeOf, walk } from "../support/routes";
import { MATRIX_REQUEST_ID, OBJECT_CASES, PAGES, PRINCIPALS, ROUTES, SERVER_ACTIONS, type ObjectActor, type ObjectKind, type PrincipalName } from "./authz-matrix";

const baseUrl = inject("baseUrl");

let sessions = new Map<PrincipalName, Session>();
let endpointId = "";
let releaseId = "";

beforeAll(async () => {
  const db = new pg.Client({ connectionString: inject("databaseUrl") });
  await db.connect();
  endpointId = (await db.query<{ id: string }>("SELECT id FROM endpoints WHERE slug = 'chat.answer'")).rows[0]!.id;
  releaseId = (await db.query<{ id: string }>("SELECT id FROM releases ORDER BY shipped_at LIMIT 1")).rows[0]!.id;
  await db.end();
  sessions = await signInEveryone(baseUrl, "matrix");
  const ingest = await sessions.get("key:ingest")!.fetch("/api/v1/events", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ events: [{ id: `${MATRIX_REQUEST_ID}-1`, timestamp: "2026-11-01T09:00:00Z", requestId: MATRIX_REQUEST_ID, kind: "tool" }] }),
  });
  expect(ingest.status).toBe(200);
});

describe("the authorization matrix covers the whole app", () => {
  it("lists every route handler method exactly once", () => {
    const found = routeFiles()
      .flatMap((f) => exportedMethods(readFileSync(f, "utf8")).map((m) => `${m} ${routeOf(f)}`))
      .sort();
    expect(found.length).toBeGreaterThan(5);
    expect(ROUTES.map((r) => `${r.method} ${r.route}`).sort()).toEqual(found);
  });

  it("lists every page", () => {
    const found = walk(path.join(root, "app"))
      .filter((f) => /[\\/]page\.tsx$/.test(f))
      .map(routeOf)
      .sort();
    expect(PAGES.map((p) => p.route).sort()).toEqual(found);
  });

  it("lists every server action", () => {
    const files = ["app", "components", "lib"].flatMap((d) => walk(path.join(root, d))).filter((f) => /\.(ts|tsx)$/.test(f) && !f.includes("generated"));
    const actionFiles = files.filter((f) => /^\s*["']use server["']/m.test(readFileSync(f, "utf8")));
    expect(actionFiles.map((f) => path.relative(root, f)).sort()).toEqual([...new Set(SERVER_ACTIONS.map((a) => a.file))].sort());
  });
});

describe.each(ROUTES)("$method $route", (entry) => {
  it.each(PRINCIPALS)("as %s", async (who) => {
    const res = await sessions.get(who)!.fetch(entry.path ?? entry.route, {
      method: entry.method,
      headers: entry.body === undefined ? undefined : { "Content-Type": "application/json" },
      body: entry.body === undefined ? undefined : JSON.stringify(entry.body),
    });
    const allowed = entry.allow === "public" || entry.allow.includes(who);
    if (allowed) {
      expect([401, 403], `${who} should get through`).not.toContain(res.status);
      expect(res.status, `${who}: ${await res.clone().text()}`).toBeLessThan(500);
    } else {
      expect(res.status).toBe(who === "anonymous" ? 401 : 403);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe(who === "anonymous" ? "unauthenticated" : "forbidden");
      expect(body.error.message.length).toBeGreaterThan(10);
    }
  });
});

describe.each(PAGES)("page $route", (entry) => {
  it.each(PRINCIPALS.filter((p) => !p.startsWith("key:")))("as %s", async (who) => {
    const res = await sessions.get(who)!.fetch((entry.path ?? entry.route).replace("{endpointId}", endpointId).replace("{releaseId}", releaseId));
    const allowed = entry.allow === "public" || entry.allow.includes(who);
    if (allowed) {
      // The home page and a signed-in visit to /signin redirect to the user's start page.
      expect([200, 307]).toContain(res.status);
      if (res.status === 307) expect(res.headers.get("location")).not.toMatch(/\/signin/);
    } else if (who === "anonymous") {
      expect(res.status).toBe(307);
      expect(res.headers.get("location")).toMatch(entry.route === "/" ? /\/signin/ : /\/signin\?callbackUrl=/);
    } else {
      expect(res.status).toBe(403);
    }
  });
});

describe("object-level rules: who may act on which object", () => {
  // Owner B's objects, created afresh for every case (and removed afterwards) so that cases do not
  // depend on each other and other test files see nothing of them.
  const db = new pg.Pool({ connectionString: inject("databaseUrl"), max: 1 });
  const actors = new Map<ObjectActor, Session>();
  const run = `authz${Date.now().toString(36)}`;
  let samId = "";
  let adminId = "";
  let samEndpoint = { id: "", slug: "" };
  let sessionId = "";
  let originalTargets: unknown = null;
  const releases: string[] = [];
  const incidents: string[] = [];
  let n = 0;

  const json = (method: string, body: unknown): RequestInit => ({ method, headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });

  async function record(who: Session, body: Record<string, unknown>): Promise<string> {
    const res = await who.fetch("/api/v1/releases", json("POST", body));
    expect(res.status, await res.clone().text()).toBe(201);
    const id = ((await res.json()) as { release: { id: string } }).release.id;
    releases.push(id);
    return id;
  }

  /** Creates a fresh object of the kind; returns the id the case's path names and the id its snapshot reads. */
  async function create(kind: ObjectKind): Promise<string> {
    n += 1;
    switch (kind) {
      case "release":
        return record(sessions.get("key:admin")!, { version: `${run}-${n}`, title: "Search ranking tweak", features: ["semantic-search"], shippedAt: "2026-03-02T10:00:00Z" });
      case "keyRelease":
        return record(actors.get("key:ingest-other")!, { version: `${run}-${n}`, title: "Search ranking tweak", features: ["semantic-search"], shippedAt: "2026-03-02T10:00:00Z", externalId: `${run}-deploy-${n}` });
      case "item":
        return (
          await db.query<{ id: string }>(
            `INSERT INTO review_items (session_id, position, endpoint, cohort, endpoint_id, figures) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
            [sessionId, n, samEndpoint.slug, `cohort-${n}`, samEndpoint.id, JSON.stringify({ label: `${samEndpoint.slug} #${n}` })],
          )
        ).rows[0]!.id;
      case "followUp":
        return (
          await db.query<{ id: string }>(
            `INSERT INTO follow_ups (session_id, title, assignee_id, due_date, created_by_id) VALUES ($1, $2, $3, '2026-12-31', $4) RETURNING id`,
            [sessionId, `Check the ranking cost ${n}`, samId, adminId],
          )
        ).rows[0]!.id;
      case "targets":
        return samEndpoint.id;
      case "incident": {
        const id = (
          await db.query<{ id: string }>(
            `INSERT INTO cost_incidents (endpoint, window_start, window_end, factor, hours, owner_id)
             VALUES ($1, '2026-03-02T10:00:00Z', '2026-03-02T12:00:00Z', 3, $2, $3) RETURNING id`,
            [`${run}-incident-${n}`, JSON.stringify([{ hour: "2026-03-02T10:00:00Z", requests: 10, costPerRequest: "0.3", baseline: "0.1" }]), samId],
          )
        ).rows[0]!.id;
        incidents.push(id);
        return id;
      }
    }
  }

  /** The object as stored, with its satellite rows and its audit trail. */
  async function snapshot(kind: ObjectKind, id: string): Promise<unknown> {
    const audit = "(SELECT count(*) FROM audit_log WHERE entity_id = $1::text)";
    const sql: Record<ObjectKind, string> = {
      release: `SELECT jsonb_build_object('row', (SELECT to_jsonb(r) FROM releases r WHERE r.id = $1), 'justifications', (SELECT count(*) FROM release_justifications WHERE release_id = $1), 'audit', ${audit}) AS s`,
      keyRelease: `SELECT jsonb_build_object('row', (SELECT to_jsonb(r) FROM releases r WHERE r.id = $1), 'audit', ${audit}) AS s`,
      item: `SELECT jsonb_build_object('row', (SELECT to_jsonb(i) FROM review_items i WHERE i.id = $1), 'versions', (SELECT count(*) FROM review_item_justifications WHERE item_id = $1), 'audit', ${audit}) AS s`,
      followUp: `SELECT jsonb_build_object('row', (SELECT to_jsonb(f) FROM follow_ups f WHERE f.id = $1), 'audit', ${audit}) AS s`,
      targets: `SELECT jsonb_build_object('targets', (SELECT coalesce(jsonb_agg(to_jsonb(t) ORDER BY t.cohort NULLS FIRST), '[]'::jsonb) FROM cost_targets t WHERE t.endpoint_id = $1), 'audit', ${audit}) AS s`,
      incident: `SELECT jsonb_build_object('row', (SELECT to_jsonb(c) FROM cost_incidents c WHERE c.id = $1), 'audit', ${audit}) AS s`,
    };
    return (await db.query<{ s: unknown }>(sql[kind], [id])).rows[0]!.s;
  }

  beforeAll(async () => {
    samId = (await db.query<{ id: string }>("SELECT id FROM users WHERE email = 'sam@example.com'")).rows[0]!.id;
    adminId = (await db.query<{ id: string }>("SELECT id FROM users WHERE email = 'admin@example.com'")).rows[0]!.id;
    samEndpoint = (
      await db.query<{ id: string; slug: string }>("SELECT e.id, e.slug FROM endpoints e JOIN features f ON f.id = e.feature_id WHERE f.slug = 'semantic-search' ORDER BY e.slug LIMIT 1")
    ).rows[0]!;
    sessionId = (
      await db.query<{ id: string }>("INSERT INTO review_sessions (week, headline, opened_by_id) VALUES ('2019-01-07', '{}', $1) RETURNING id", [adminId])
    ).rows[0]!.id;
    actors.set("owner", sessions.get("owner")!);
    actors.set("admin", sessions.get("admin")!);
    actors.set("key:ingest", sessions.get("key:ingest")!);
    actors.set("sam", await signIn(baseUrl, "sam@example.com", DEMO_PASSWORD));
    const res = await sessions.get("admin")!.fetch("/api/v1/api-keys", json("POST", { name: `${run} other pipeline`, scope: "ingest" }));
    expect(res.status).toBe(201);
    actors.set("key:ingest-other", withKey(baseUrl, ((await res.json()) as { key: string }).key));
    const listed = (await (await sessions.get("admin")!.fetch(`/api/v1/targets?endpoint=${samEndpoint.slug}`)).json()) as { endpoints: { targets: Record<string, unknown>[] }[] };
    originalTargets = (listed.endpoints[0]?.targets ?? []).map(({ endpoint: _endpoint, ...t }) => t);
  });

  afterAll(async () => {
    const restore = await sessions.get("admin")!.fetch("/api/v1/targets", json("PUT", { endpoint: samEndpoint.slug, targets: originalTargets }));
    expect(restore.status).toBe(200);
    await db.query("DELETE FROM review_sessions WHERE id = $1", [sessionId]);
    await db.query("DELETE FROM releases WHERE id = ANY($1::uuid[])", [releases]);
    await db.query("DELETE FROM cost_incidents WHERE id = ANY($1::uuid[])", [incidents]);
    await db.end();
  });

  const fill = (v: unknown, id: string): unknown => JSON.parse(JSON.stringify(v).replaceAll("{id}", id).replaceAll("{endpoint}", samEndpoint.slug));

  it.each(OBJECT_CASES)("$name: refused with 403 and nothing changed; allowed for its owner", async (c) => {
    const id = await create(c.kind);
    const path = fill(c.path, id) as string;
    const before = await snapshot(c.kind, id);
    for (const who of c.refused) {
      const res = await actors.get(who)!.fetch(path, json(c.method, fill(c.body, id)));
      const body = (await res.json()) as { error?: { code: string; message: string } };
      expect(res.status, `${who}: ${JSON.stringify(body)}`).toBe(403);
      expect(body.error!.code).toBe("forbidden");
      expect(body.error!.message).toMatch(/admin/);
      expect(await snapshot(c.kind, id), `${who} changed nothing`).toEqual(before);
    }
    const ok = await actors.get(c.allowed)!.fetch(path, json(c.method, fill(c.allowedBody ?? c.body, id)));
    expect(ok.status, `${c.allowed}: ${await ok.clone().text()}`).toBeLessThan(300);
    expect(await snapshot(c.kind, id), `${c.allowed} changed it`).not.toEqual(before);
  });
});
