// Organisation settings the rollups depend on: the time zone that defines weeks, and overhead loading.
import type pg from "pg";
import type { Db } from "@/lib/db/client";
import { overheadConfigSchema, type OverheadConfig } from "@/lib/pricing/overhead";

export async function readSetting(db: pg.Pool | pg.PoolClient, key: string): Promise<unknown> {
  const { rows } = await db.query<{ value: unknown }>("SELECT value FROM settings WHERE key = $1", [key]);
  return rows[0]?.value;
}

export async function orgTimezone(db: Db): Promise<string> {
  const v = await readSetting(db, "timezone");
  return typeof v === "string" && v ? v : "UTC";
}

export async function overheadConfig(db: pg.Pool | pg.PoolClient): Promise<OverheadConfig> {
  const parsed = overheadConfigSchema.safeParse((await readSetting(db, "overhead")) ?? {});
  return parsed.success ? parsed.data : { globalPercent: null, perFeature: {} };
}
