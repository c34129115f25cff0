// Sign-in hardening over real HTTP: throttling per account and per client address (persisted, audited),
// sessions revoked by sign-out and by role or password changes, security headers, X-Forwarded-* trusted
// only with TRUST_PROXY, and the transparent re-hash of an older password hash.
import { scryptSync } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { DEMO_PASSWORD } from "@/lib/demo/generate-org";
import { anonymous, signIn, type Session } from "../support/http";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { startServer, type TestServer } from "../support/server";

const baseUrl = inject("baseUrl");
const pool = new pg.Pool({ connectionString: inject("databaseUrl"), max: 1 });
let admin: Session;

const json = (body: unknown) => ({ headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
const unique = (prefix: string) => `${prefix}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.com`;

/** One password sign-in attempt through next-auth's own endpoint, returning the raw answer. */
async function attempt(url: string, email: string, password: string, headers: Record<string, string> = {}) {
  const csrfRes = await fetch(`${url}/api/auth/csrf`, { headers });
  const { csrfToken } = (await csrfRes.json()) as { csrfToken: string };
  const cookie = csrfRes.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  const res = await fetch(`${url}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { ...headers, "Content-Type": "application/x-www-form-urlencoded", Cookie: cookie },
    body: new URLSearchParams({ csrfToken, email, password, json: "true" }),
  });
  const signedIn = res.headers.getSetCookie().some((c) => c.startsWith("next-auth.session-token="));
  return { status: res.status, retryAfter: res.headers.get("retry-after"), signedIn, body: await res.text() };
}

async function createUser(email: string, role = "viewer", password = "a-long-password"): Promise<string> {
  const res = await admin.fetch("/api/v1/users", { method: "POST", ...json({ email, name: "Test Person", role, password }) });
  expect(res.status).toBe(201);
  return ((await res.json()) as { user: { id: string } }).user.id;
}

async function signOut(s: Session): Promise<Response> {
  const { csrfToken } = (await (await s.fetch("/api/auth/csrf")).json()) as { csrfToken: string };
  return s.fetch("/api/auth/signout", {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ csrfToken, json: "true" }),
  });
}

beforeAll(async () => {
  admin = await signIn(baseUrl, "admin@example.com", DEMO_PASSWORD);
});
afterAll(() => pool.end());

describe("sign-in throttling per account", () => {
  it("refuses the 11th wrong password with 429 and Retry-After, then even the right one; audits it all; backs off", { timeout: 600_000 }, async () => {
    const email = unique("throttled");
    const id = await createUser(email);
    expect((await attempt(baseUrl, email, "a-long-password")).signedIn).toBe(true);

    for (let i = 1; i <= 10; i++) {
      const r = await attempt(baseUrl, email, `wrong-password-${i}`);
      expect(r.status, `attempt ${i}`).not.toBe(429);
      expect(r.signedIn).toBe(false);
    }
    const eleventh = await attempt(baseUrl, email, "wrong-password-11");
    expect(eleventh.status).toBe(429);
    const retryAfter = Number(eleventh.retryAfter);
    expect(retryAfter).toBeGreaterThan(14 * 60);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    expect(JSON.parse(eleventh.body)).toMatchObject({ error: { code: "rate_limited", scope: "account" } });

    const right = await attempt(baseUrl, email, "a-long-password");
    expect(right.status).toBe(429);
    expect(right.signedIn).toBe(false);

    // Persisted, not in memory: the lock is a row.
    const row = await pool.query<{ locked: boolean; lockouts: number }>(
      "SELECT locked_until > now() AS locked, lockouts FROM sign_in_throttle WHERE key = $1",
      [`account:${email}`],
    );
    expect(row.rows[0]).toEqual({ locked: true, lockouts: 1 });

    const audit = await pool.query<{ action: string; after: { reason?: string; scope?: string } }>(
      "SELECT action, after FROM audit_log WHERE entity_id = $1 AND action LIKE 'auth.%' ORDER BY id",
      [id],
    );
    const actions = audit.rows.map((r) => r.action);
    expect(actions.filter((a) => a === "auth.sign_in")).toHaveLength(1);
    expect(actions.filter((a) => a === "auth.sign_in_failed")).toHaveLength(10);
    expect(audit.rows.filter((r) => r.action === "auth.sign_in_failed").every((r) => r.after.reason === "wrong_password")).toBe(true);
    expect(audit.rows.find((r) => r.action === "auth.sign_in_locked")?.after.scope).toBe("account");

    // The lock runs out (moved into the past here); ten more failures lock twice as long.
    await pool.query("UPDATE sign_in_throttle SET locked_until = now() - interval '1 second' WHERE key = $1", [`account:${email}`]);
    for (let i = 1; i <= 10; i++) expect((await attempt(baseUrl, email, `again-wrong-${i}`)).status).not.toBe(429);
    const backedOff = await attempt(baseUrl, email, "a-long-password");
    expect(backedOff.status).toBe(429);
    expect(Number(backedOff.retryAfter)).toBeGreaterThan(29 * 60);

    // Once the lock is over, the right password works, is audited, and clears the account's count.
    await pool.query("UPDATE sign_in_throttle SET locked_until = now() - interval '1 second' WHERE key = $1", [`account:${email}`]);
    expect((await attempt(baseUrl, email, "a-long-password")).signedIn).toBe(true);
    const after = await pool.query("SELECT 1 FROM sign_in_throttle WHERE key = $1", [`account:${email}`]);
    expect(after.rowCount).toBe(0);
    const successes = await pool.query("SELECT 1 FROM audit_log WHERE entity_id = $1 AND action = 'auth.sign_in'", [id]);
    expect(successes.rowCount).toBe(2);
  });
});

describe("sign-out and revocation", () => {
  it("a session cookie stops working after sign-out, and the sign-in page then shows the form", async () => {
    const email = unique("signout");
    const id = await createUser(email);
    const s = await signIn(baseUrl, email, "a-long-password");
    expect((await s.fetch("/api/v1/me")).status).toBe(200);
    const page = await s.fetch("/signin");
    expect(page.status).toBe(307);

    const out = await signOut(s);
    expect(out.status).toBeLessThan(400);
    const me = await s.fetch("/api/v1/me");
    expect(me.status).toBe(401);
    expect(((await me.json()) as { error: { code: string } }).error.code).toBe("unauthenticated");
    // The revoked token is not "signed in" for the sign-in page either: the form, not a redirect loop.
    const again = await s.fetch("/signin?callbackUrl=%2Freview");
    expect(again.status).toBe(200);
    expect(await again.text()).toContain('aria-label="Sign in"');

    const audit = await pool.query("SELECT actor_label FROM audit_log WHERE entity_id = $1 AND action = 'auth.sign_out'", [id]);
    expect(audit.rows).toEqual([{ actor_label: email }]);
    // A fresh sign-in works.
    expect((await (await signIn(baseUrl, email, "a-long-password")).fetch("/api/v1/me")).status).toBe(200);
  });

  it("a role change or a new password by an admin ends the user's sessions", async () => {
    const email = unique("revoked");
    const id = await createUser(email);
    const first = await signIn(baseUrl, email, "a-long-password");
    expect((await first.fetch("/api/v1/me")).status).toBe(200);
    expect((await admin.fetch(`/api/v1/users/${id}`, { method: "PATCH", ...json({ role: "owner" }) })).status).toBe(200);
    expect((await first.fetch("/api/v1/me")).status).toBe(401);

    const second = await signIn(baseUrl, email, "a-long-password");
    const me = (await (await second.fetch("/api/v1/me")).json()) as { user: { role: string } };
    expect(me.user.role).toBe("owner");
    // A name change is not a reason to sign out…
    expect((await admin.fetch(`/api/v1/users/${id}`, { method: "PATCH", ...json({ name: "Renamed" }) })).status).toBe(200);
    expect((await second.fetch("/api/v1/me")).status).toBe(200);
    // …a new password is.
    expect((await admin.fetch(`/api/v1/users/${id}`, { method: "PATCH", ...json({ password: "another-long-password" }) })).status).toBe(200);
    expect((await second.fetch("/api/v1/me")).status).toBe(401);
    expect((await (await signIn(baseUrl, email, "another-long-password")).fetch("/api/v1/me")).status).toBe(200);
  });
});

describe("security headers", () => {
  const expectHeaders = (res: Response) => {
    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("base-uri 'self'");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    expect(res.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
    // Plain http here: no HSTS.
    expect(res.headers.get("strict-transport-security")).toBeNull();
  };

  it("are on a page, an API answer, a 401 and a 404, and a redirect", async () => {
    const anon = anonymous(baseUrl);
    const page = await anon.fetch("/signin");
    expect(page.status).toBe(200);
    expectHeaders(page);
    const me = await admin.fetch("/api/v1/me");
    expect(me.status).toBe(200);
    expectHeaders(me);
    const unauth = await anon.fetch("/api/v1/me");
    expect(unauth.status).toBe(401);
    expectHeaders(unauth);
    const missing = await admin.fetch("/api/v1/no-such-route");
    expect(missing.status).toBe(404);
    expectHeaders(missing);
    const redirect = await anon.fetch("/review");
    expect(redirect.status).toBe(307);
    expectHeaders(redirect);
  });

  it("a forged X-Forwarded-Host does not pass the cross-site check without TRUST_PROXY", async () => {
    const email = unique("xfh");
    const res = await admin.fetch("/api/v1/users", {
      method: "POST",
      headers: { "Content-Type": "application/json", Origin: "https://evil.example", "X-Forwarded-Host": "evil.example" },
      body: JSON.stringify({ email, name: "X", role: "admin", password: "a-long-password" }),
    });
    expect(res.status).toBe(403);
    expect((await pool.query("SELECT 1 FROM users WHERE email = $1", [email])).rowCount).toBe(0);
  });
});

describe("password hashes", () => {
  it("an older-parameter hash is replaced by today's on the next successful sign-in", async () => {
    const email = unique("rehash");
    const salt = Buffer.from("sixteen-byte-slt");
    const key = scryptSync("an-older-password", salt, 32, { N: 2 ** 15, r: 8, p: 1, maxmem: 128 * 2 ** 15 * 8 * 2 });
    const old = `scrypt$32768$8$1$${salt.toString("base64url")}$${key.toString("base64url")}`;
    const { rows } = await pool.query<{ id: string }>(
      "INSERT INTO users (email, name, role, password_hash) VALUES ($1, 'Old Hash', 'viewer', $2) RETURNING id",
      [email, old],
    );
    expect((await attempt(baseUrl, email, "wrong-password")).signedIn).toBe(false);
    const unchanged = await pool.query<{ password_hash: string }>("SELECT password_hash FROM users WHERE id = $1", [rows[0]!.id]);
    expect(unchanged.rows[0]!.password_hash).toBe(old);

    const s = await signIn(baseUrl, email, "an-older-password");
    expect((await s.fetch("/api/v1/me")).status).toBe(200);
    const after = await pool.query<{ password_hash: string }>("SELECT password_hash FROM users WHERE id = $1", [rows[0]!.id]);
    expect(after.rows[0]!.password_hash).toMatch(/^scrypt\$131072\$8\$1\$/);
    expect(after.rows[0]!.password_hash).not.toBe(old);
    // The new hash verifies the same password.
    expect((await attempt(baseUrl, email, "an-older-password")).signedIn).toBe(true);
    const audit = await pool.query("SELECT 1 FROM audit_log WHERE entity_id = $1 AND action = 'auth.sign_in' AND after->>'passwordRehashed' = 'true'", [rows[0]!.id]);
    expect(audit.rowCount).toBe(1);
  });
});

describe("per-address limit and TRUST_PROXY, on servers of their own", () => {
  let plainDb: TestDatabase;
  let proxiedDb: TestDatabase;
  let plain: TestServer;
  let proxied: TestServer;
  const limits = { COST_REVIEW_DEMO: "0", SIGNIN_MAX_FAILURES_PER_ADDRESS: "3", SIGNIN_MAX_FAILURES_PER_ACCOUNT: "10" };

  beforeAll(async () => {
    [plainDb, proxiedDb] = await Promise.all([createTestDatabase("signin_plain"), createTestDatabase("signin_proxied")]);
    const port = 3750 + Math.floor(Math.random() * 200);
    plain = await startServer({ databaseUrl: plainDb.url, port, env: { ...limits, TRUST_PROXY: "0" } });
    proxied = await startServer({ databaseUrl: proxiedDb.url, port: port + 1, env: { ...limits, TRUST_PROXY: "1" } });
  }, 400_000);
  afterAll(async () => {
    await Promise.all([plain?.stop(), proxied?.stop()]);
    await Promise.all([plainDb?.drop(), proxiedDb?.drop()]);
  });

  it("locks an address after its limit, across accounts, and a forged X-Forwarded-For does not escape it", { timeout: 300_000 }, async () => {
    for (let i = 1; i <= 3; i++) {
      const r = await attempt(plain.url, `nobody-${i}@example.com`, "wrong-password", { "X-Forwarded-For": `10.9.9.${i}` });
      expect(r.status, `attempt ${i}`).not.toBe(429);
    }
    const fourth = await attempt(plain.url, "someone-else@example.com", "wrong-password", { "X-Forwarded-For": "10.9.9.99" });
    expect(fourth.status).toBe(429);
    expect(Number(fourth.retryAfter)).toBeGreaterThan(0);
    expect(JSON.parse(fourth.body)).toMatchObject({ error: { code: "rate_limited", scope: "address" } });
    const db = new pg.Client({ connectionString: plainDb.url });
    await db.connect();
    try {
      const keys = await db.query<{ key: string }>("SELECT key FROM sign_in_throttle WHERE key LIKE 'address:%'");
      expect(keys.rows.map((r) => r.key)).toEqual(["address:127.0.0.1"]);
    } finally {
      await db.end();
    }
    // Without TRUST_PROXY a forged X-Forwarded-Proto does not switch HSTS on.
    const page = await fetch(`${plain.url}/signin`, { headers: { "X-Forwarded-Proto": "https" } });
    expect(page.headers.get("strict-transport-security")).toBeNull();
  });

  it("with TRUST_PROXY, counts the address the proxy reports and sends HSTS when it says https", { timeout: 300_000 }, async () => {
    const from = (ip: string) => ({ "X-Forwarded-For": `203.0.113.7, ${ip}` });
    for (let i = 1; i <= 3; i++) expect((await attempt(proxied.url, `nobody-${i}@example.com`, "wrong", from("10.1.1.1"))).status).not.toBe(429);
    expect((await attempt(proxied.url, "nobody-4@example.com", "wrong", from("10.1.1.1"))).status).toBe(429);
    // Another client behind the same proxy is not locked out.
    expect((await attempt(proxied.url, "nobody-4@example.com", "wrong", from("10.1.1.2"))).status).not.toBe(429);

    const https = await fetch(`${proxied.url}/api/health`, { headers: { "X-Forwarded-Proto": "https" } });
    expect(https.headers.get("strict-transport-security")).toMatch(/max-age=\d{7,}/);
    const page = await fetch(`${proxied.url}/signin`, { headers: { "X-Forwarded-Proto": "https" } });
    expect(page.headers.get("strict-transport-security")).toMatch(/max-age=\d{7,}/);
    const http = await fetch(`${proxied.url}/api/health`);
    expect(http.headers.get("strict-transport-security")).toBeNull();
  });
});
