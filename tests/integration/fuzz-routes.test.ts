// Hostile input against every route handler, generated from the route files themselves (a route added
// later is fuzzed without editing this file): NUL, lone surrogates, bad percent-encoding, impossible
// dates, huge and negative numbers in path segments, in every query parameter the route (or the lib code
// it calls) reads, and in every field of a plausible JSON body; plus invalid UTF-8 and inexact numbers
// as whole bodies. Every role is tried (admin on every case, the others on a deterministic sample).
// The answer is never a 5xx, and every 4xx from the app's guard is JSON with error.code and error.message.
// Its own database and app, so whatever a fuzz case manages to change cannot disturb the other tests.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../support/database";
import type { Session } from "../support/http";
import { PRINCIPALS, signInEveryone, type PrincipalName } from "../support/principals";
import { exportedMethods, root, routeFiles, routeOf } from "../support/routes";
import { startServer, type TestServer } from "../support/server";

/** The number of route files when this test was written: fewer means the glob broke. */
const ROUTE_FILES_AT_LEAST = 52;
const NIL_ID = "00000000-0000-4000-8000-000000000000";

// ---- what each route reads, from its source ---------------------------------------------------------

/** The route file and the lib files it imports (two levels deep), as text. */
function sourcesOf(file: string): string {
  const seen = new Set<string>();
  const queue: [string, number][] = [[file, 0]];
  const texts: string[] = [];
  while (queue.length) {
    const [f, depth] = queue.shift()!;
    if (seen.has(f)) continue;
    seen.add(f);
    const text = readFileSync(f, "utf8");
    texts.push(text);
    if (depth >= 2) continue;
    for (const m of text.matchAll(/from\s+"@\/(lib\/[^"]+)"/g)) {
      const target = path.join(root, `${m[1]}.ts`);
      if (existsSync(target)) queue.push([target, depth + 1]);
    }
  }
  return texts.join("\n");
}

/** Query parameters: searchParams.get("…") anywhere in the sources, and the keys of zod objects in files that read the query. */
function queryParamsOf(source: string): string[] {
  const names = new Set<string>();
  for (const m of source.matchAll(/searchParams\.get\(\s*"([^"]+)"/g)) names.add(m[1]!);
  for (const m of source.matchAll(/\.get\(\s*"([A-Za-z]\w*)"\s*\)/g)) names.add(m[1]!);
  if (/searchParams/.test(source)) for (const m of source.matchAll(/^\s{2,6}([A-Za-z]\w*):\s*(?:z\.|instant|DAY|date|slug|month|weekParam|monthParam|flag|dimensionList|formatParam)/gm)) names.add(m[1]!);
  return [...names].filter((n) => !/^[A-Z0-9_]+$/.test(n) && !["authorization", "content-type", "origin", "host"].includes(n.toLowerCase()));
}

/** JSON body fields: the keys of zod objects in the sources, plus common ones. */
function bodyFieldsOf(source: string): string[] {
  const names = new Set<string>();
  for (const m of source.matchAll(/^\s{2,8}([A-Za-z]\w*):\s*(?:z\.|optional|label|identifier|slug|date|uuidField|dateField|calendarDate|weekParam|monthParam|userIdList|dryRun|shippedAt|optionalText|link|money|decimal|instant|isoTime|checked|nonNegative|tokenCount)/gm)) names.add(m[1]!);
  // Not the settings read from the environment (lib/env.ts): no body carries them.
  return [...names].filter((n) => !/^[A-Z0-9_]+$/.test(n));
}

const COMMON_QUERY = ["from", "to", "week", "month", "endpoint", "cohort", "metric", "groupBy", "by", "format", "status", "limit", "before", "since", "pool", "feature", "team", "id"];
const COMMON_BODY = ["text", "note", "reason", "title", "description", "name", "email", "version", "week", "month", "from", "to", "endpoint", "class", "status", "dueDate", "shippedAt", "amountUsd", "costUsd"];

/** A value each parameter plausibly takes, so the route reads past it to the one being fuzzed. */
const PLAUSIBLE: Record<string, unknown> = {
  from: "2026-11-01",
  to: "2026-11-08",
  since: "2026-11-01T00:00:00Z",
  week: "2026-W46",
  month: "2026-01",
  endpoint: "chat.answer",
  groupBy: "endpoint",
  by: "team",
  format: "json",
  status: "open",
  limit: "10",
  timestamp: "2026-11-01T09:00:00Z",
  shippedAt: "2026-11-01T09:00:00Z",
  dueDate: "2026-12-01",
  email: "fuzz@example.com",
  scope: "ingest",
  role: "viewer",
  provider: "openai",
  model: "gpt-4o-mini",
  amountUsd: "1.00",
  costUsd: "0.01",
};

// ---- hostile values ----------------------------------------------------------------------------------

/** Already percent-encoded for a URL: %ff and an encoded lone surrogate are not UTF-8. */
const HOSTILE_URL = ["%00", "a%00b", "%ff", "%ED%A0%80", "2026-02-30", "2026-13-01", "x", "1e308", "-1", "9007199254740993", "1e999", "%", "%zz", ""];
/** JSON text of hostile values: NUL and lone surrogates as escapes, huge, negative, inexact and impossible. */
const HOSTILE_JSON = ['"a\\u0000b"', '"\\ud800"', '"x\\udfff"', '"2026-02-30"', '"2026-13-01"', '"x"', "1e308", "-1", "9007199254740993", "1e999", '"1e999"', "0.1000000000000000000001", '"%ff"'];
/** Whole bodies: invalid UTF-8, a NUL key, deep nesting, an inexact number. */
const HOSTILE_BODIES: (string | Uint8Array)[] = [
  new Uint8Array([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]), // {"a":"\xff\xfe"}
  new Uint8Array([0x7b, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x3a, 0x31, 0x7d]), // an encoded lone surrogate as a key
  '{"\\u0000":1}',
  `${"[".repeat(5000)}${"]".repeat(5000)}`,
  '{"events":[{"id":"a","costUsd":9007199254740993}]}',
];

// ---- cases -------------------------------------------------------------------------------------------

type Case = { method: string; url: string; body?: string | Uint8Array; guarded: boolean; otlp: boolean; label: string };

function pathVariants(route: string): string[] {
  const params = [...route.matchAll(/\[(?:\.\.\.)?(\w+)\]/g)].map((m) => m[1]!);
  const plausibleFor = (name: string) => (name === "month" ? "2026-01" : name === "nextauth" ? "session" : NIL_ID);
  const fill = (target: string, value: string) =>
    route.replace(/\[(?:\.\.\.)?(\w+)\]/g, (_, name: string) => (name === target ? value : plausibleFor(name)));
  if (!params.length) return [route];
  const out = new Set<string>([fill("", "")]);
  for (const p of params) for (const v of HOSTILE_URL) if (v !== "") out.add(fill(p, v));
  return [...out];
}

function plausibleQuery(names: string[]): string {
  return names.filter((n) => n in PLAUSIBLE).map((n) => `${n}=${encodeURIComponent(String(PLAUSIBLE[n]))}`).join("&");
}

function plausibleBody(fields: string[]): Record<string, unknown> {
  return Object.fromEntries(fields.map((f) => [f, PLAUSIBLE[f] ?? "fuzz"]));
}

/** JSON text of the body with one field's value replaced by raw JSON text. */
function bodyWith(fields: string[], field: string, rawJson: string): string {
  const base = plausibleBody(fields);
  const marker = "\u0001FUZZ\u0001";
  base[field] = marker;
  return JSON.stringify(base).replace(JSON.stringify(marker), rawJson);
}

/** Each field gets this many of the hostile values, rotating so that every value meets many fields. */
const VALUES_PER_FIELD = 3;
const rotate = <T,>(values: T[], start: number, n: number): T[] => Array.from({ length: Math.min(n, values.length) }, (_, k) => values[(start + k) % values.length]!);

function casesFor(file: string): Case[] {
  const route = routeOf(file);
  const fileText = readFileSync(file, "utf8");
  const source = sourcesOf(file);
  const guarded = /from "@\/lib\/auth\/api"/.test(fileText);
  const otlp = /otlpErrorResponse/.test(fileText);
  // Parameters and fields the route reads are fuzzed one at a time; the common names all at once.
  const readNames = queryParamsOf(source);
  const commonNames = COMMON_QUERY.filter((n) => !readNames.includes(n));
  const allNames = [...readNames, ...commonNames];
  const fields = bodyFieldsOf(source);
  const commonFields = COMMON_BODY.filter((f) => !fields.includes(f));
  const allFields = [...fields, ...commonFields];
  const cases: Case[] = [];
  for (const method of exportedMethods(fileText)) {
    const hasBody = method !== "GET" && method !== "DELETE";
    const plainBody = hasBody ? JSON.stringify(plausibleBody(allFields)) : undefined;
    const [plausiblePath, ...hostilePaths] = pathVariants(route);
    const q = plausibleQuery(allNames);
    for (const p of hostilePaths) cases.push({ method, url: `${p}?${q}`, body: plainBody, guarded, otlp, label: `path ${p}` });
    readNames.forEach((name, i) => {
      const others = plausibleQuery(allNames.filter((n) => n !== name));
      for (const v of rotate(HOSTILE_URL, i * VALUES_PER_FIELD, VALUES_PER_FIELD)) {
        cases.push({ method, url: `${plausiblePath}?${others}&${name}=${v}`, body: plainBody, guarded, otlp, label: `query ${name}=${v}` });
      }
    });
    for (const v of HOSTILE_URL) {
      cases.push({ method, url: `${plausiblePath}?${allNames.map((n) => `${n}=${v}`).join("&")}`, body: plainBody, guarded, otlp, label: `every query name=${v}` });
    }
    if (hasBody) {
      fields.forEach((field, i) => {
        for (const v of rotate(HOSTILE_JSON, i * VALUES_PER_FIELD, VALUES_PER_FIELD)) {
          cases.push({ method, url: `${plausiblePath}?${q}`, body: bodyWith(allFields, field, v), guarded, otlp, label: `body.${field}=${v}` });
        }
      });
      for (const v of HOSTILE_JSON) {
        const body = JSON.stringify(plausibleBody(fields)).replace(/}$/, `${fields.length ? "," : ""}${commonFields.map((f) => `${JSON.stringify(f)}:${v}`).join(",")}}`);
        cases.push({ method, url: `${plausiblePath}?${q}`, body, guarded, otlp, label: `common body fields=${v}` });
      }
      for (const [i, b] of HOSTILE_BODIES.entries()) cases.push({ method, url: `${plausiblePath}?${q}`, body: b, guarded, otlp, label: `hostile body #${i}` });
    }
  }
  return cases;
}

type ErrorJson = { error?: { code?: unknown; message?: unknown }; code?: unknown; message?: unknown };

function jsonOrNull(text: string): ErrorJson | null {
  try {
    return JSON.parse(text) as ErrorJson;
  } catch {
    return null;
  }
}

// ---- the run -----------------------------------------------------------------------------------------

let db: TestDatabase;
let server: TestServer;
let sessions = new Map<PrincipalName, Session>();

beforeAll(async () => {
  db = await createTestDatabase("fuzz");
  server = await startServer({ databaseUrl: db.url, port: 3700 + Math.floor(Math.random() * 200), env: { INGEST_RATE_LIMIT_PER_MINUTE: "1000000" } });
  sessions = await signInEveryone(server.url, "fuzz");
}, 240_000);

afterAll(async () => {
  await server?.stop();
  await db?.drop();
});

const files = routeFiles();

describe("fuzzing every route", () => {
  it("finds every route file", () => {
    expect(files.length).toBeGreaterThanOrEqual(ROUTE_FILES_AT_LEAST);
  });

  it("never answers 5xx, and every refusal is JSON with error.code and error.message", { timeout: 900_000 }, async () => {
    const all = files.flatMap(casesFor);
    // Admin tries every case; each other principal a deterministic twentieth of them.
    const runs: { who: PrincipalName; c: Case }[] = [];
    all.forEach((c, i) => {
      PRINCIPALS.forEach((who, r) => {
        if (who === "admin" || (i + r * 7) % 20 === 0) runs.push({ who, c });
      });
    });
    expect(all.length).toBeGreaterThan(1000);
    console.log(`fuzz: ${all.length} cases, ${runs.length} requests`);
    // One failure per route, method, status and kind of case: enough to find each bug, short enough to read.
    const failures = new Map<string, string>();
    const fail = (c: Case, status: number, what: string) => {
      const key = `${c.method} ${c.url.split("?")[0]} ${status} ${c.label.split(/[ .=]/)[0]}`;
      if (!failures.has(key)) failures.set(key, what);
    };
    let next = 0;
    const worker = async () => {
      for (let k = next++; k < runs.length; k = next++) {
        const { who, c } = runs[k]!;
        const res = await sessions.get(who)!.fetch(c.url, {
          method: c.method,
          headers: c.body === undefined ? undefined : { "Content-Type": "application/json" },
          body: c.body as BodyInit | undefined,
        });
        const text = await res.text();
        const where = `${who} ${c.method} ${c.url.slice(0, 160)} [${c.label}] → ${res.status} ${text.slice(0, 200)}`;
        if (res.status >= 500) fail(c, res.status, where);
        else if (c.guarded && res.status >= 400) {
          const body = jsonOrNull(text);
          // The OTLP receiver answers in OTLP's own shape (google.rpc.Status: {code, message}), as exporters expect.
          const otlpStatus = c.otlp && typeof body?.code === "number" && typeof body.message === "string" && body.message.length > 0;
          if (!otlpStatus && (typeof body?.error?.code !== "string" || typeof body.error.message !== "string" || !body.error.message)) {
            fail(c, res.status, `not the JSON error shape: ${where}`);
          }
        }
      }
    };
    await Promise.all(Array.from({ length: 4 }, worker));
    console.log(`fuzz: ${all.length} cases over ${files.length} route files, ${runs.length} requests`);
    expect([...failures.values()]).toEqual([]);
  });
});
