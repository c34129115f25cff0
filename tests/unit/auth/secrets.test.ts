import { describe, expect, it } from "vitest";
import { hashPassword, verifyPassword } from "@/lib/auth/password";
import { generateKey, hashKey } from "@/lib/auth/api-keys";

describe("password hashing", () => {
  it("verifies the right password and rejects others", async () => {
    const h = await hashPassword("correct horse battery");
    expect(h).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(await verifyPassword("correct horse battery", h)).toBe(true);
    expect(await verifyPassword("correct horse batterx", h)).toBe(false);
    expect(await verifyPassword("correct horse battery", null)).toBe(false);
    expect(await verifyPassword("x", "garbage")).toBe(false);
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
