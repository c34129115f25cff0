import { describe, expect, it } from "vitest";
import { scryptSync } from "node:crypto";
import { hashPassword, needsRehash, verifyPassword, withHashSlot } from "@/lib/auth/password";
import { generateKey, hashKey } from "@/lib/auth/api-keys";

// Each hash at today's parameters is deliberately slow (128 MiB, a few hundred ms; seconds on a busy machine).
describe("password hashing", { timeout: 120_000 }, () => {
  it("verifies the right password and rejects others", async () => {
    const h = await hashPassword("correct horse battery");
    // OWASP's current recommendation: N=2^17, r=8, p=1.
    expect(h).toMatch(/^scrypt\$131072\$8\$1\$/);
    expect(needsRehash(h)).toBe(false);
    expect(await verifyPassword("correct horse battery", h)).toBe(true);
    expect(await verifyPassword("correct horse batterx", h)).toBe(false);
    expect(await verifyPassword("correct horse battery", null)).toBe(false);
    expect(await verifyPassword("x", "garbage")).toBe(false);
  });

  it("still verifies a hash stored with the older parameters, and marks it for re-hashing", async () => {
    const salt = Buffer.from("0123456789abcdef");
    const key = scryptSync("an older password", salt, 32, { N: 32768, r: 8, p: 1, maxmem: 128 * 32768 * 8 * 2 });
    const old = `scrypt$32768$8$1$${salt.toString("base64url")}$${key.toString("base64url")}`;
    expect(await verifyPassword("an older password", old)).toBe(true);
    expect(await verifyPassword("an older passworD", old)).toBe(false);
    expect(needsRehash(old)).toBe(true);
  });

  it("refuses stored parameters that would make scrypt run away", async () => {
    expect(await verifyPassword("x", "scrypt$1073741824$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAA")).toBe(false);
    expect(await verifyPassword("x", "scrypt$1000$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAA")).toBe(false);
  });

  it("runs at most two hashes at once", async () => {
    let running = 0;
    let peak = 0;
    const job = () =>
      withHashSlot(async () => {
        running += 1;
        peak = Math.max(peak, running);
        await new Promise((r) => setTimeout(r, 20));
        running -= 1;
        return running;
      });
    await Promise.all(Array.from({ length: 8 }, job));
    expect(peak).toBe(2);
    expect(running).toBe(0);
  });

  it("salts every hash", async () => {
    expect(await hashPassword("same password")).not.toBe(await hashPassword("same password"));
  });
});

describe("API keys", () => {
  it("carry 256 random bits behind a readable scope prefix", () => {
    const keys = new Set(Array.from({ length: 200 }, () => generateKey("ingest").key));
    expect(keys.size).toBe(200);
    for (const k of keys) {
      expect(k).toMatch(/^cr_ingest_[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(k.slice("cr_ingest_".length), "base64url")).toHaveLength(32);
    }
  });

  it("are stored as a SHA-256 hash and a short prefix that does not reveal the secret", () => {
    const { key, prefix } = generateKey("admin");
    expect(hashKey(key)).toMatch(/^[0-9a-f]{64}$/);
    expect(prefix).toBe(key.slice(0, "cr_admin_".length + 8));
    expect(key.length - prefix.length).toBeGreaterThanOrEqual(35);
  });
});
