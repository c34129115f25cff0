// The audit log API over real HTTP: filtered by action, actor and a range of UTC days, paged with keysets
// both ways (the log grows forever: no page counts or skips rows), large values returned whole, and
// every bad parameter a 400 naming it.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { DEMO_PASSWORD } from "@/lib/demo/generate-org";
import { callJson, signIn, type Session } from "../support/http";

const baseUrl = inject("baseUrl");
const db = new pg.Pool({ connectionString: inject("databaseUrl"), max: 1 });
const run = `audit${Date.now().toString(36)}`;
const actor = `${run}@example.com`;
let admin: Session;

type Entry = { id: string; at: string; actorLabel: string; action: string; before: unknown; after: unknown };
type Page = { entries: Entry[]; older: string | null; newer: string | null };
type ErrorBody = { error: { code: string; errors?: { path: string; message: string }[] } };

const get = (qs: string) => callJson<Page>(admin, "GET", `/api/v1/audit?${qs}`);
const bad = (qs: string) => callJson<ErrorBody>(admin, "GET", `/api/v1/audit?${qs}`);
const actions = (p: Page) => p.entries.map((e) => e.action);

// Seven entries by one actor, one a day from 2031-01-01 (actions a.1 … a.7; the even ones b.*), the
// last with a 20,000-character value.
const LONG = "x".repeat(20_000);
beforeAll(async () => {
  admin = await signIn(baseUrl, "admin@example.com", DEMO_PASSWORD);
  for (let i = 1; i <= 7; i++) {
    await db.query(
      `INSERT INTO audit_log (at, actor_label, action, entity_type, entity_id, before, after) VALUES ($1, $2, $3, 'test', $4, NULL, $5::jsonb)`,
      [`2031-01-0${i}T12:00:00Z`, actor, `${run}.${i % 2 ? "a" : "b"}.${i}`, String(i), JSON.stringify({ n: i, ...(i === 7 ? { text: LONG } : {}) })],
    );
  }
});
afterAll(async () => {
  await db.query("DELETE FROM audit_log WHERE actor_label = $1", [actor]);
  await db.end();
});

describe("GET /api/v1/audit", () => {
  it("pages newest first with keysets, older and back to newer, never repeating or skipping an entry", async () => {
    const first = await get(`actor=${actor}&limit=3`);
    expect(first.status).toBe(200);
    expect(actions(first.body)).toEqual([`${run}.a.7`, `${run}.b.6`, `${run}.a.5`]);
    expect(first.body.newer).toBeNull();
    expect(first.body.older).toBe(first.body.entries[2]!.id);

    const second = await get(`actor=${actor}&limit=3&before=${first.body.older}`);
    expect(actions(second.body)).toEqual([`${run}.b.4`, `${run}.a.3`, `${run}.b.2`]);
    expect(second.body.newer).toBe(second.body.entries[0]!.id);

    const last = await get(`actor=${actor}&limit=3&before=${second.body.older}`);
    expect(actions(last.body)).toEqual([`${run}.a.1`]);
    expect(last.body.older).toBeNull();

    // Back from the last page: the same second page, then the first, which knows nothing newer.
    const back = await get(`actor=${actor}&limit=3&after=${last.body.newer}`);
    expect(actions(back.body)).toEqual(actions(second.body));
    expect(back.body.older).toBe(second.body.older);
    const top = await get(`actor=${actor}&limit=3&after=${back.body.newer}`);
    expect(actions(top.body)).toEqual(actions(first.body));
    expect(top.body.newer).toBeNull();
  });

  it("filters by action prefix, actor (any case, part of it) and an inclusive range of UTC days", async () => {
    expect(actions((await get(`action=${run}.b&limit=10`)).body)).toEqual([`${run}.b.6`, `${run}.b.4`, `${run}.b.2`]);
    expect(actions((await get(`action=${run}.a.5`)).body)).toEqual([`${run}.a.5`]);
    expect((await get(`actor=${run.toUpperCase()}`)).body.entries).toHaveLength(7);
    const days = await get(`actor=${actor}&from=2031-01-02&to=2031-01-04`);
    expect(actions(days.body)).toEqual([`${run}.b.4`, `${run}.a.3`, `${run}.b.2`]);
    expect((await get(`actor=${actor}&from=2031-01-07`)).body.entries).toHaveLength(1);
    // An empty form field is no filter.
    expect((await get(`actor=${actor}&action=&from=&to=`)).body.entries).toHaveLength(7);
  });

  it("returns a large value whole (the page truncates it, the API does not)", async () => {
    const e = (await get(`action=${run}.a.7`)).body.entries[0]!;
    expect((e.after as { text: string }).text).toBe(LONG);
  });

  it.each([
    ["from=2031-02-30", "from"],
    ["to=yesterday", "to"],
    ["from=2031-01-05&to=2031-01-01", "to"],
    ["before=5&after=3", "after"],
    ["before=abc", "before"],
    ["after=0", "after"],
    ["limit=0", "limit"],
    [`actor=${"y".repeat(201)}`, "actor"],
  ])("refuses %s with a 400 naming %s", async (qs, path) => {
    const res = await bad(qs);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("invalid_request");
    expect(res.body.error.errors?.map((e) => e.path)).toContain(path);
  });
});
