// The settings accessor (lib/settings/settings.ts): one typed reader per key with its default, a stored
// value that does not fit read as the default or refused (never guessed for a cost), and setSettings
// validating, writing and auditing in one transaction, on a real database.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { AppError } from "@/lib/errors";
import { closeDb, createHandles, setHandles, type Handles } from "@/lib/db/client";
import { LOCK_KEY } from "@/lib/rollups/refresh-rollups";
import { getSetting, getSettingEntries, getSettings, setSettings, SETTINGS } from "@/lib/settings/settings";

const run = `settings-${Date.now().toString(36)}`;
const actor = { label: run };
const KEYS = ["releases", "finance.tolerancePct", "overhead", "rollups.watermark"] as const;
let handles: Handles;
let saved: { key: string; value: unknown }[] = [];

beforeAll(async () => {
  handles = createHandles(inject("databaseUrl"), 3);
  setHandles(handles);
  saved = (await handles.pool.query<{ key: string; value: unknown }>("SELECT key, value FROM settings WHERE key = ANY($1::text[])", [KEYS])).rows;
});

// Whatever these tests wrote, the database holds what it held before (other test files read these keys).
afterAll(async () => {
  await handles.pool.query("DELETE FROM settings WHERE key = ANY($1::text[])", [KEYS]);
  for (const s of saved) await handles.pool.query("INSERT INTO settings (key, value) VALUES ($1, $2::jsonb)", [s.key, JSON.stringify(s.value)]);
  await closeDb();
});

const store = (key: string, value: unknown) =>
  handles.pool.query(
    "INSERT INTO settings (key, value, updated_at) VALUES ($1, $2::jsonb, now()) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = EXCLUDED.updated_at",
    [key, JSON.stringify(value)],
  );
const unset = (key: string) => handles.pool.query("DELETE FROM settings WHERE key = $1", [key]);
const audits = async () =>
  (await handles.pool.query<{ action: string; entity_id: string; before: unknown; after: unknown }>(
    "SELECT action, entity_id, before, after FROM audit_log WHERE actor_label = $1 ORDER BY id",
    [run],
  )).rows;

describe("reading a setting", () => {
  it("gives the key's default while it is unset, and no time", async () => {
    await unset("releases");
    await unset("finance.tolerancePct");
    expect(await getSetting(handles.pool, "releases")).toEqual({ windowDays: 7 });
    expect(await getSettings(handles.pool, ["releases", "finance.tolerancePct"])).toEqual({ releases: { windowDays: 7 }, "finance.tolerancePct": "1" });
    expect((await getSettingEntries(handles.pool, ["releases"])).releases).toEqual({ value: { windowDays: 7 }, updatedAt: null });
  });

  it("reads a stored value in its normal form, and one that does not fit as the default where that is safe", async () => {
    await store("finance.tolerancePct", 2.50);
    expect(await getSetting(handles.pool, "finance.tolerancePct")).toBe("2.5");
    await store("releases", { windowDays: 400 });
    expect(await getSetting(handles.pool, "releases")).toEqual(SETTINGS.releases.default);
  });

  it("refuses an overhead it cannot read, naming the setting and where to fix it, rather than guess no overhead", async () => {
    await store("overhead", { globalPercent: "-5", perFeature: {} });
    const err = await getSetting(handles.pool, "overhead").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).status).toBe(500);
    expect((err as AppError).code).toBe("invalid_setting");
    expect((err as AppError).message).toMatch(/overhead loading setting is not valid.*Settings → GPU & overhead/);
  });
});

describe("setSettings", () => {
  it("writes several keys and one audit entry per key in one transaction, and returns them with their time", async () => {
    await unset("releases");
    await store("finance.tolerancePct", "1");
    const out = await setSettings(handles.pool, actor, { releases: { windowDays: 14 }, "finance.tolerancePct": "3" });
    expect(out.releases.value).toEqual({ windowDays: 14 });
    expect(out["finance.tolerancePct"].value).toBe("3");
    expect(Date.parse(out.releases.updatedAt!)).not.toBeNaN();
    expect(await getSettings(handles.pool, ["releases", "finance.tolerancePct"])).toEqual({ releases: { windowDays: 14 }, "finance.tolerancePct": "3" });
    expect(await audits()).toEqual([
      { action: "settings.releases.update", entity_id: "releases", before: null, after: { windowDays: 14 } },
      { action: "settings.finance.update", entity_id: "finance.tolerancePct", before: "1", after: "3" },
    ]);
  });

  it("refuses a value its key's schema refuses with a 400 naming the field, and writes nothing", async () => {
    const before = await audits();
    const err = await setSettings(handles.pool, actor, { releases: { windowDays: 0 } }).catch((e: unknown) => e);
    expect((err as AppError).status).toBe(400);
    expect((err as AppError).details?.errors).toEqual([{ path: "windowDays", message: expect.stringContaining("windowDays must be a whole number") }]);
    expect(await getSetting(handles.pool, "releases")).toEqual({ windowDays: 14 });
    expect(await audits()).toEqual(before);
  });

  it("runs the key's database check inside the transaction: an unknown feature rolls the whole change back", async () => {
    await unset("overhead");
    const before = await audits();
    const err = await setSettings(handles.pool, actor, { releases: { windowDays: 21 }, overhead: { globalPercent: "5", perFeature: { [`${run}-none`]: "1" } } }).catch(
      (e: unknown) => e,
    );
    expect((err as AppError).status).toBe(400);
    expect((err as AppError).details?.errors).toEqual([{ path: `perFeature.${run}-none`, message: expect.stringContaining("is not a feature") }]);
    expect(await getSetting(handles.pool, "releases")).toEqual({ windowDays: 14 });
    expect(await audits()).toEqual(before);
  });

  it("clears the rollup watermark when a setting that moves costs changes, and only then", async () => {
    // Hold the refresh lock: the app's scheduler must not write a watermark while this looks at it.
    const holder = await handles.pool.connect();
    await holder.query("SELECT pg_advisory_lock($1)", [LOCK_KEY]);
    try {
      await watermarkCases();
    } finally {
      await holder.query("SELECT pg_advisory_unlock($1)", [LOCK_KEY]);
      holder.release();
    }
  });

  async function watermarkCases() {
    const none = { globalPercent: null, perFeature: {} };
    await store("overhead", none);
    await store("rollups.watermark", "2026-01-01T00:00:00.000Z");
    await setSettings(handles.pool, actor, { overhead: none });
    expect(await handles.pool.query("SELECT 1 FROM settings WHERE key = 'rollups.watermark'").then((r) => r.rowCount)).toBe(1);
    await setSettings(handles.pool, actor, { overhead: { globalPercent: "0", perFeature: {} } });
    expect(await handles.pool.query("SELECT 1 FROM settings WHERE key = 'rollups.watermark'").then((r) => r.rowCount)).toBe(0);
    // A change to a setting that moves no cost leaves it.
    await store("rollups.watermark", "2026-01-01T00:00:00.000Z");
    await setSettings(handles.pool, actor, { releases: { windowDays: 10 } });
    expect(await handles.pool.query("SELECT 1 FROM settings WHERE key = 'rollups.watermark'").then((r) => r.rowCount)).toBe(1);
  }

  it("records one entry for the whole change when the caller gives one, with its other writes in the same transaction", async () => {
    const seen: unknown[] = [];
    await setSettings(handles.pool, actor, { releases: { windowDays: 9 } }, {
      audit: { action: `${run}.combined`, entityType: "setting", entityId: run, before: { a: 1 }, after: { a: 2 } },
      alsoIn: async (tx) => {
        // The new value is visible to the other writes of the same change.
        seen.push((await tx.query("SELECT value FROM settings WHERE key = 'releases'")).rows[0]?.value);
      },
    });
    expect(seen).toEqual([{ windowDays: 9 }]);
    expect((await audits()).at(-1)).toEqual({ action: `${run}.combined`, entity_id: run, before: { a: 1 }, after: { a: 2 } });
  });
});
