// API keys: 256 random bits, shown once; only a SHA-256 hash and a short prefix are stored.
import { createHash, randomBytes } from "node:crypto";
import { asScope, type ApiKeyScope } from "@/lib/auth/permissions";
import { db } from "@/lib/db/client";
import { recordAudit, type Actor } from "@/lib/audit/record-audit";
import type { KeyHolder } from "@/lib/auth/principal";
import { withTransaction } from "@/lib/db/transaction";

const KEY_PATTERN = /^cr_([a-z]+)_([A-Za-z0-9_-]{43})$/;

export function hashKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

export function generateKey(scope: ApiKeyScope): { key: string; prefix: string } {
  const secret = randomBytes(32).toString("base64url"); // 43 characters, 256 bits
  const key = `cr_${scope}_${secret}`;
  return { key, prefix: key.slice(0, `cr_${scope}_`.length + 8) };
}

export async function createApiKey(
  input: { name: string; scope: ApiKeyScope },
  actor: Actor,
): Promise<{ key: string; id: string; prefix: string }> {
  const { key, prefix } = generateKey(input.scope);
  const row = await withTransaction(async (tx) => {
    const created = await tx.prisma.apiKey.create({
      data: { name: input.name, scope: input.scope, prefix, hash: hashKey(key), createdById: actor.id ?? null },
    });
    await recordAudit(tx, actor, {
      action: "apikey.create",
      entityType: "api_key",
      entityId: created.id,
      after: { name: created.name, scope: created.scope, prefix },
    });
    return created;
  });
  return { key, id: row.id, prefix };
}

export async function revokeApiKey(id: string, actor: Actor): Promise<boolean> {
  return withTransaction(async (tx) => {
    const existing = await tx.prisma.apiKey.findUnique({ where: { id } });
    if (!existing || existing.revokedAt) return false;
    const revoked = await tx.prisma.apiKey.update({ where: { id }, data: { revokedAt: new Date() } });
    await recordAudit(tx, actor, {
      action: "apikey.revoke",
      entityType: "api_key",
      entityId: id,
      before: { revokedAt: null },
      after: { revokedAt: revoked.revokedAt },
    });
    return true;
  });
}

/** The key's holder, or null when the key is malformed, unknown or revoked. */
export async function verifyApiKey(key: string): Promise<KeyHolder | null> {
  if (!KEY_PATTERN.test(key)) return null;
  const row = await db().apiKey.findUnique({ where: { hash: hashKey(key) } });
  if (!row || row.revokedAt) return null;
  // Best effort, at most once a minute per key: a busy ingest key should not write on every request.
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > 60_000) {
    await db().apiKey.update({ where: { id: row.id }, data: { lastUsedAt: new Date() } }).catch(() => undefined);
  }
  return { id: row.id, name: row.name, prefix: row.prefix, scope: asScope(row.scope) };
}

/** Every API key, newest first, without its hash (the API keys settings page). */
export async function listApiKeys() {
  return db().apiKey.findMany({
    orderBy: { createdAt: "desc" },
    select: { id: true, name: true, prefix: true, scope: true, createdAt: true, lastUsedAt: true, revokedAt: true },
  });
}
