// Every route handler, page and server action, called as every kind of principal, over real HTTP:
// allowed calls get through the guard, refused ones get 401/403 (pages: sign-in redirect or 403).
import { readFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { type Session } from "../support/http";
import { signInEveryone } from "../support/principals";
import { exportedMethods, root, routeFiles, routeOf, walk } from "../support/routes";
import { MATRIX_REQUEST_ID, PAGES, PRINCIPALS, ROUTES, SERVER_ACTIONS, type PrincipalName } from "./authz-matrix";

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
