// Every route handler, page and server action, called as every kind of principal, over real HTTP:
// allowed calls get through the guard, refused ones get 401/403 (pages: sign-in redirect or 403).
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { DEMO_PASSWORD } from "@/lib/demo/generate-org";
import { anonymous, signIn, withKey, type Session } from "../support/http";
import { MATRIX_REQUEST_ID, PAGES, PRINCIPALS, ROUTES, SERVER_ACTIONS, type PrincipalName } from "./authz-matrix";

const root = path.resolve(import.meta.dirname, "..", "..");
const baseUrl = inject("baseUrl");

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

/** app/(app)/settings/page.tsx -> /settings ; app/api/v1/users/[id]/route.ts -> /api/v1/users/[id] */
function routeOf(file: string): string {
  const rel = path.relative(path.join(root, "app"), path.dirname(file)).split(path.sep);
  return "/" + rel.filter((s) => s && !/^\(.*\)$/.test(s)).join("/");
}

function exportedMethods(source: string): string[] {
  const methods = new Set<string>();
  for (const m of source.matchAll(/export\s+(?:const|async function|function)\s+(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\b/g)) methods.add(m[1]!);
  for (const m of source.matchAll(/export\s*{([^}]*)}/g)) {
    for (const part of m[1]!.split(",")) {
      const name = part.split(/\s+as\s+/).pop()!.trim();
      if (/^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)$/.test(name)) methods.add(name);
    }
  }
  return [...methods];
}

const sessions = new Map<PrincipalName, Session>();
let endpointId = "";
let releaseId = "";

beforeAll(async () => {
  const db = new pg.Client({ connectionString: inject("databaseUrl") });
  await db.connect();
  endpointId = (await db.query<{ id: string }>("SELECT id FROM endpoints WHERE slug = 'chat.answer'")).rows[0]!.id;
  releaseId = (await db.query<{ id: string }>("SELECT id FROM releases ORDER BY shipped_at LIMIT 1")).rows[0]!.id;
  await db.end();
  sessions.set("anonymous", anonymous(baseUrl));
  for (const role of ["viewer", "finance", "admin"] as const) sessions.set(role, await signIn(baseUrl, `${role}@example.com`, DEMO_PASSWORD));
  sessions.set("owner", await signIn(baseUrl, "owner@example.com", DEMO_PASSWORD));
  const admin = sessions.get("admin")!;
  for (const scope of ["ingest", "admin"] as const) {
    const res = await admin.fetch("/api/v1/api-keys", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ name: `matrix ${scope}`, scope }),
    });
    expect(res.status).toBe(201);
    sessions.set(`key:${scope}`, withKey(baseUrl, ((await res.json()) as { key: string }).key));
  }
  const ingest = await sessions.get("key:ingest")!.fetch("/api/v1/events", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ events: [{ id: `${MATRIX_REQUEST_ID}-1`, timestamp: "2026-11-01T09:00:00Z", requestId: MATRIX_REQUEST_ID, kind: "tool" }] }),
  });
  expect(ingest.status).toBe(200);
});

describe("the authorization matrix covers the whole app", () => {
  it("lists every route handler method exactly once", () => {
    const found = walk(path.join(root, "app"))
      .filter((f) => /[\\/]route\.ts$/.test(f))
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
