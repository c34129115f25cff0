// The release comparison window: how many days before and after a release are compared (default 7).
import type pg from "pg";
import { z } from "zod";
import { recordAudit, type Actor } from "@/lib/audit/record-audit";
import { readSetting } from "@/lib/rollups/org-settings";
import { withTransaction } from "@/lib/db/transaction";
import { labelled } from "@/lib/http/validation";

export type ReleaseSettings = { windowDays: number };

export const DEFAULT_RELEASE_SETTINGS: ReleaseSettings = { windowDays: 7 };

export const releaseSettingsSchema = z.object({
  windowDays: z
    .number({ message: "windowDays must be a whole number of days from 1 to 90" })
    .int("windowDays must be a whole number of days from 1 to 90")
    .min(1, "windowDays must be a whole number of days from 1 to 90")
    .max(90, "windowDays must be a whole number of days from 1 to 90"),
});

export async function releaseSettings(db: pg.Pool | pg.PoolClient): Promise<ReleaseSettings> {
  const parsed = releaseSettingsSchema.safeParse(await readSetting(db, "releases"));
  return parsed.success ? parsed.data : DEFAULT_RELEASE_SETTINGS;
}

export async function updateReleaseSettings(db: pg.Pool, input: ReleaseSettings, actor: Actor): Promise<ReleaseSettings> {
  await withTransaction(async (c) => {
    const before = await releaseSettings(c);
    await c.query(
      `INSERT INTO settings (key, value, updated_at) VALUES ('releases', $1::jsonb, now())
       ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
      [JSON.stringify(input)],
    );
    await recordAudit(c, actor, { action: "settings.releases.update", entityType: "settings", entityId: "releases", before, after: input });
  }, { db });
  return input;
}

// What the 400 calls these inputs ("The invoices are not valid: …").
labelled(releaseSettingsSchema, { what: "release settings", plural: true });
