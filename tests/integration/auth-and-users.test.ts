// Sign-in, roles read fresh from the database, user administration with audit, and API keys.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { DEMO_PASSWORD } from "@/lib/demo/generate-org";
import { anonymous, signIn, withKey, type Session } from "../support/http";

const baseUrl = inject("baseUrl");
const pool = new pg.Pool({ connectionString: inject("databaseUrl"), max: 1 });
let admin: Session;

const json = (body: unknown) => ({ headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });

beforeAll(async () => {
  admin = await signIn(baseUrl, "admin@example.com", DEMO_PASSWORD);
});
afterAll(() => pool.end());

describe("signing in", () => {
  it("gives a session that says who the user is and what the role allows", async () => {
    const s = await signIn(baseUrl, "finance@example.com", DEMO_PASSWORD);
    const me = (await (await s.fetch("/api/v1/me")).json()) as { user: { role: string }; permissions: string[] };
    expect(me.user.role).toBe("finance");
    expect(me.permissions).toContain("finance.read");
    expect(me.permissions).not.toContain("users.manage");
  });

  it("refuses a wrong password", async () => {
    await expect(signIn(baseUrl, "admin@example.com", "wrong-password-123")).rejects.toThrow(/sign-in as admin@example.com failed/);
  });

  it("refuses an unknown email", async () => {
    await expect(signIn(baseUrl, "nobody@example.com", DEMO_PASSWORD)).rejects.toThrow(/failed/);
  });
});

describe("user administration", () => {
  it("rejects an invalid user with an error per field", async () => {
    const res = await admin.fetch("/api/v1/users", { method: "POST", ...json({ email: "nope", name: "", role: "boss", password: "short" }) });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; errors: { path: string; message: string }[] } };
    expect(body.error.code).toBe("invalid_request");
    expect(body.error.errors.map((e) => e.path).sort()).toEqual(["email", "name", "password", "role"]);
  });

  it("creates a user, changes the role with effect on the next request, and audits both", async () => {
    const email = `new-${Date.now()}@example.com`;
    const created = await admin.fetch("/api/v1/users", {
      method: "POST",
      ...json({ email, name: "New Person", role: "viewer", password: "a-long-password" }),
    });
    expect(created.status).toBe(201);
    const { user } = (await created.json()) as { user: { id: string } };

    const person = await signIn(baseUrl, email, "a-long-password");
    expect((await person.fetch("/api/v1/users")).status).toBe(403);

    const patched = await admin.fetch(`/api/v1/users/${user.id}`, { method: "PATCH", ...json({ role: "admin" }) });
    expect(patched.status).toBe(200);
    // A role change ends the user's sessions; the next sign-in carries the new role, read from the database.
    expect((await person.fetch("/api/v1/users")).status).toBe(401);
    const again = await signIn(baseUrl, email, "a-long-password");
    expect((await again.fetch("/api/v1/users")).status).toBe(200);

    const audit = await pool.query<{ action: string; actor_label: string; before: unknown; after: unknown }>(
      "SELECT action, actor_label, before, after FROM audit_log WHERE entity_id = $1 AND action LIKE 'user.%' ORDER BY id",
      [user.id],
    );
    expect(audit.rows.map((r) => r.action)).toEqual(["user.create", "user.update"]);
    expect(audit.rows[1]).toMatchObject({ actor_label: "admin@example.com", before: { role: "viewer" }, after: { role: "admin" } });
    expect(JSON.stringify(audit.rows)).not.toContain("a-long-password");
  });

  it("signs out a disabled user at once", async () => {
    const email = `gone-${Date.now()}@example.com`;
    const res = await admin.fetch("/api/v1/users", { method: "POST", ...json({ email, name: "Soon Gone", role: "viewer", password: "a-long-password" }) });
    const { user } = (await res.json()) as { user: { id: string } };
    const s = await signIn(baseUrl, email, "a-long-password");
    expect((await s.fetch("/api/v1/me")).status).toBe(200);
    await admin.fetch(`/api/v1/users/${user.id}`, { method: "PATCH", ...json({ disabled: true }) });
    expect((await s.fetch("/api/v1/me")).status).toBe(401);
    await expect(signIn(baseUrl, email, "a-long-password")).rejects.toThrow();
  });

  it("keeps the last active admin", async () => {
    const others = await pool.query<{ id: string }>(
      "SELECT id FROM users WHERE role = 'admin' AND NOT disabled AND email <> 'admin@example.com'",
    );
    // Demote every other admin, then try the last one.
    for (const row of others.rows) await admin.fetch(`/api/v1/users/${row.id}`, { method: "PATCH", ...json({ role: "viewer" }) });
    const last = await pool.query<{ id: string }>("SELECT id FROM users WHERE role = 'admin' AND NOT disabled");
    expect(last.rows).toHaveLength(1);
    const res = await admin.fetch(`/api/v1/users/${last.rows[0]!.id}`, { method: "PATCH", ...json({ role: "viewer" }) });
    expect(res.status).toBe(409);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/last active admin/);
  });

  it("refuses a cross-site change made with a session cookie", async () => {
    const res = await admin.fetch("/api/v1/users", {
      method: "POST",
      headers: { "Content-Type": "application/json", Origin: "https://evil.example" },
      body: JSON.stringify({ email: "x@example.com", name: "X", role: "admin" }),
    });
    expect(res.status).toBe(403);
  });
});

describe("API keys", () => {
  it("are shown once, stored only as a hash, work as Bearer tokens and stop working when revoked", async () => {
    const res = await admin.fetch("/api/v1/api-keys", { method: "POST", ...json({ name: "svc", scope: "ingest" }) });
    expect(res.status).toBe(201);
    const { key, id } = (await res.json()) as { key: string; id: string };
    expect(key).toMatch(/^cr_ingest_[A-Za-z0-9_-]{43}$/); // 43 base64url characters = 256 bits

    const stored = await pool.query("SELECT * FROM api_keys WHERE id = $1", [id]);
    expect(JSON.stringify(stored.rows[0])).not.toContain(key.slice(-20));

    const list = (await (await admin.fetch("/api/v1/api-keys")).json()) as { keys: Record<string, unknown>[] };
    expect(JSON.stringify(list)).not.toContain(key);

    const svc = withKey(baseUrl, key);
    const me = (await (await svc.fetch("/api/v1/me")).json()) as { kind: string; permissions: string[] };
    expect(me).toMatchObject({ kind: "apikey", permissions: ["events.ingest"] });

    expect((await admin.fetch(`/api/v1/api-keys/${id}`, { method: "DELETE" })).status).toBe(200);
    const after = await svc.fetch("/api/v1/me");
    expect(after.status).toBe(401);
    expect(((await after.json()) as { error: { message: string } }).error.message).toMatch(/revoked/);
  });

  it("explains a malformed Authorization header", async () => {
    const res = await anonymous(baseUrl).fetch("/api/v1/me", { headers: { Authorization: "cr_ingest_abc" } });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/Bearer/);
  });
});

describe("health", () => {
  it("reports the database reachable and every migration applied", async () => {
    const res = await fetch(`${baseUrl}/api/health`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { status: string; database: { reachable: boolean }; migrations: { pending: string[]; applied: number } };
    expect(body).toMatchObject({ status: "ok", database: { reachable: true }, migrations: { pending: [] } });
    const applied = await pool.query("SELECT count(*)::int AS n FROM _cost_review_migrations");
    expect(body.migrations.applied).toBe(applied.rows[0].n);
  });
});
