// The last active admin stays, also when the demotions race: every active admin is demoted at the same
// time over HTTP (with an admin API key, which is no user and so cannot lose its rights), and exactly
// one admin must be left. Repeated, to give the race its chances; then everyone is made admin again.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { DEMO_PASSWORD } from "@/lib/demo/generate-org";
import { signIn, withKey, type Session } from "../support/http";

const baseUrl = inject("baseUrl");
const db = new pg.Pool({ connectionString: inject("databaseUrl"), max: 1 });
const run = `lastadmin${Date.now().toString(36)}`;
let key: Session;

const json = (method: string, body: unknown): RequestInit => ({ method, headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });

async function activeAdmins(): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>("SELECT id FROM users WHERE role = 'admin' AND NOT disabled ORDER BY email");
  return rows.map((r) => r.id);
}

beforeAll(async () => {
  const admin = await signIn(baseUrl, "admin@example.com", DEMO_PASSWORD);
  const res = await admin.fetch("/api/v1/api-keys", json("POST", { name: `${run} admin key`, scope: "admin" }));
  expect(res.status).toBe(201);
  key = withKey(baseUrl, ((await res.json()) as { key: string }).key);
  // A second admin, so that at least two may race to be demoted.
  const second = await key.fetch("/api/v1/users", json("POST", { email: `${run}@example.com`, name: "Second Admin", role: "admin" }));
  expect(second.status, await second.clone().text()).toBe(201);
});

afterAll(() => db.end());

describe("the last active admin", () => {
  it("survives concurrent demotions of every admin: exactly one stays, the others are refused with 409", async () => {
    for (let round = 0; round < 8; round++) {
      const admins = await activeAdmins();
      expect(admins.length).toBeGreaterThanOrEqual(2);
      const answers = await Promise.all(admins.map((id) => key.fetch(`/api/v1/users/${id}`, json("PATCH", round % 2 ? { disabled: true } : { role: "viewer" }))));
      const statuses = answers.map((r) => r.status);
      const left = await activeAdmins();
      expect(left, `round ${round}: answers ${statuses.join(", ")}`).toHaveLength(1);
      expect(statuses.filter((s) => s === 200)).toHaveLength(admins.length - 1);
      expect(statuses.filter((s) => s === 409)).toHaveLength(1);
      const refused = answers[statuses.indexOf(409)]!;
      expect(((await refused.json()) as { error: { code: string; message: string } }).error.message).toMatch(/last active admin/);
      // Everyone back, for the next round and for the other test files.
      for (const id of admins) {
        const back = await key.fetch(`/api/v1/users/${id}`, json("PATCH", { role: "admin", disabled: false }));
        expect(back.status).toBe(200);
      }
      expect(await activeAdmins()).toEqual(admins);
    }
  });

  it("refuses to demote or disable the only admin (one at a time)", async () => {
    const admins = await activeAdmins();
    for (const id of admins.slice(1)) expect((await key.fetch(`/api/v1/users/${id}`, json("PATCH", { role: "owner" }))).status).toBe(200);
    const last = admins[0]!;
    expect((await key.fetch(`/api/v1/users/${last}`, json("PATCH", { role: "viewer" }))).status).toBe(409);
    expect((await key.fetch(`/api/v1/users/${last}`, json("PATCH", { disabled: true }))).status).toBe(409);
    expect(await activeAdmins()).toEqual([last]);
    for (const id of admins.slice(1)) expect((await key.fetch(`/api/v1/users/${id}`, json("PATCH", { role: "admin" }))).status).toBe(200);
    expect(await activeAdmins()).toEqual(admins);
  });
});
