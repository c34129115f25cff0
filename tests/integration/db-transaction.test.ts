// The one transaction helper (lib/db/transaction.ts) and the one audit writer (lib/audit/record-audit.ts):
// Prisma queries, raw SQL and the audit entry commit together or roll back together, on a real database.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { closeDb, createHandles, setHandles, type Handles } from "@/lib/db/client";
import { withTransaction } from "@/lib/db/transaction";
import { recordAudit } from "@/lib/audit/record-audit";

const run = `tx${Date.now().toString(36)}`;
let handles: Handles;

beforeAll(() => {
  handles = createHandles(inject("databaseUrl"), 3);
  setHandles(handles);
});
afterAll(() => closeDb());

async function setting(key: string): Promise<unknown> {
  const { rows } = await handles.pool.query<{ value: unknown }>("SELECT value FROM settings WHERE key = $1", [key]);
  return rows[0]?.value;
}

async function audited(entityId: string) {
  const { rows } = await handles.pool.query<{ action: string; actor_label: string; before: unknown; after: unknown }>(
    "SELECT action, actor_label, before, after FROM audit_log WHERE entity_id = $1 ORDER BY id",
    [entityId],
  );
  return rows;
}

describe("withTransaction", () => {
  it("commits Prisma writes, raw SQL writes and their audit entries together", async () => {
    const key = `${run}.commit`;
    const result = await withTransaction(async (tx) => {
      await tx.prisma.setting.create({ data: { key, value: { n: 1 } } });
      await tx.query("UPDATE settings SET value = $2::jsonb WHERE key = $1", [key, JSON.stringify({ n: 2 })]);
      // Prisma reads what raw SQL wrote in the same transaction: one connection.
      const seen = await tx.prisma.setting.findUnique({ where: { key } });
      await recordAudit(tx, { label: run }, { action: "test.commit", entityType: "setting", entityId: key, before: null, after: seen?.value });
      return seen?.value;
    });
    expect(result).toEqual({ n: 2 });
    expect(await setting(key)).toEqual({ n: 2 });
    expect(await audited(key)).toEqual([{ action: "test.commit", actor_label: run, before: null, after: { n: 2 } }]);
  });

  it("rolls back Prisma writes, raw SQL writes and audit entries when the callback throws", async () => {
    const key = `${run}.rollback`;
    await expect(
      withTransaction(async (tx) => {
        await tx.prisma.setting.create({ data: { key, value: 1 } });
        await tx.query("INSERT INTO settings (key, value) VALUES ($1, '2'::jsonb)", [`${key}.raw`]);
        await recordAudit(tx, { label: run }, { action: "test.rollback", entityType: "setting", entityId: key });
        throw new Error("refused");
      }),
    ).rejects.toThrow("refused");
    expect(await setting(key)).toBeUndefined();
    expect(await setting(`${key}.raw`)).toBeUndefined();
    expect(await audited(key)).toEqual([]);
  });

  it("joins the transaction already open on a Tx instead of opening another", async () => {
    const key = `${run}.join`;
    await expect(
      withTransaction(async (tx) => {
        await withTransaction(async (inner) => {
          expect(inner).toBe(tx);
          await inner.prisma.setting.create({ data: { key, value: 1 } });
        }, { db: tx });
        throw new Error("outer fails");
      }),
    ).rejects.toThrow("outer fails");
    // The inner write was part of the outer transaction, so it is gone too.
    expect(await setting(key)).toBeUndefined();
  });

  it("rolls back a dry run that succeeds, and refuses writes in a read-only one", async () => {
    const key = `${run}.dry`;
    const n = await withTransaction(async (tx) => {
      await tx.query("INSERT INTO settings (key, value) VALUES ($1, '1'::jsonb)", [key]);
      return (await tx.query("SELECT count(*)::int AS n FROM settings WHERE key = $1", [key])).rows[0].n;
    }, { rollback: true });
    expect(n).toBe(1);
    expect(await setting(key)).toBeUndefined();
    await expect(
      withTransaction((tx) => tx.query("INSERT INTO settings (key, value) VALUES ($1, '1'::jsonb)", [key]), { readOnly: true, isolation: "repeatable read" }),
    ).rejects.toThrow(/read-only/);
  });

  it("refuses a Prisma $transaction on tx.prisma (it would run outside the transaction)", async () => {
    await expect(withTransaction(async (tx) => (tx.prisma as unknown as { $transaction: (f: () => Promise<void>) => Promise<void> }).$transaction(async () => undefined))).rejects.toThrow(/its own transaction/);
  });
});

describe("recordAudit", () => {
  it("writes several entries in one statement, in order, outside a transaction too", async () => {
    const id = `${run}.many`;
    await recordAudit(handles.pool, { label: run }, [
      { action: "test.a", entityType: "t", entityId: id, after: { amount: "0.000000000001" } },
      { action: "test.b", entityType: "t", entityId: id, before: { x: [1, "two"] } },
    ]);
    await recordAudit(handles.pool, { label: run }, []);
    expect(await audited(id)).toEqual([
      { action: "test.a", actor_label: run, before: null, after: { amount: "0.000000000001" } },
      { action: "test.b", actor_label: run, before: { x: [1, "two"] }, after: null },
    ]);
  });
});
