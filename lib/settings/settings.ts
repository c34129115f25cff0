// The organisation's settings, one typed accessor per key. Every setting is a row of the settings table
// (key → jsonb value); SETTINGS says, per key, what its stored value must look like (a zod schema), its
// default when unset, its label, what the audit log calls a change, and whether a change rebuilds the
// rollups. Read with getSetting / getSettings; change with setSettings, which validates, writes and
// audits in one transaction. (rollups.watermark, in the same table, is the rollup refresher's own state,
// lib/rollups/refresh-rollups.ts, not a setting.)
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { withTransaction, type Tx } from "@/lib/db/transaction";
import { recordAudit, type Actor, type AuditEntry } from "@/lib/audit/record-audit";
import { AppError, badRequest, type FieldError } from "@/lib/errors";
import { validate } from "@/lib/http/validation";
import { overheadConfigSchema, type OverheadConfig } from "@/lib/pricing/schemas";
import { releaseSettingsSchema } from "@/lib/releases/schemas";
import { DEFAULT_REVIEW, reviewThresholdsValue, tolerancePctValue, type ReviewThresholdSettings } from "@/lib/settings/schemas";
import { DEFAULT_DELIVERY, DEFAULT_DIGEST, deliverySettingsValue, digestSettingsValue, type DeliverySettings, type DigestSettings } from "@/lib/notify/schemas";

export type { ReviewThresholdSettings };

type Definition<T> = {
  /** What the settings pages and messages call it. */
  label: string;
  /** The stored value's shape. */
  schema: z.ZodType<T, unknown>;
  /** The value while the key is unset. */
  default: T;
  /**
   * A stored value that does not match the schema: "default" reads the default (for settings that only
   * tune a threshold), "refuse" fails loudly, naming the setting (for one a cost depends on: never guessed).
   */
  invalid: "default" | "refuse";
  /** The audit log's action for a change. */
  action: string;
  /** A change moves costs or weeks: the next rollup refresh rebuilds everything. */
  rebuildsRollups?: boolean;
  /** Checks that need the database (e.g. that named features exist): throws a 400 naming the fields. */
  check?: (db: Db, value: T) => Promise<void>;
};

const define = <T>(d: Definition<T>) => d;

async function knownFeatures(db: Db, config: OverheadConfig): Promise<void> {
  const { rows } = await db.query<{ slug: string }>("SELECT slug FROM features ORDER BY slug");
  const known = new Set(rows.map((f) => f.slug));
  const unknown: FieldError[] = Object.keys(config.perFeature)
    .filter((slug) => !known.has(slug))
    .map((slug) => ({ path: `perFeature.${slug}`, message: `"${slug}" is not a feature; known features: ${[...known].join(", ") || "none"}` }));
  if (unknown.length) throw badRequest("The overhead setting names unknown features.", unknown);
}

export const SETTINGS = {
  /** The IANA time zone that defines the organisation's days, weeks and months. */
  timezone: define<string>({
    label: "Time zone",
    schema: z.string().min(1),
    default: "UTC",
    invalid: "default",
    action: "settings.review.update",
    rebuildsRollups: true,
  }),
  /** The review's flag threshold (percent, a decimal string) and minimum weekly volume. */
  review: define<ReviewThresholdSettings>({
    label: "Review threshold and minimum volume",
    schema: reviewThresholdsValue,
    default: DEFAULT_REVIEW,
    invalid: "default",
    action: "settings.review.update",
  }),
  /** The release comparison window, in days before and after a release. */
  releases: define<{ windowDays: number }>({
    label: "Release comparison window",
    schema: releaseSettingsSchema,
    default: { windowDays: 7 },
    invalid: "default",
    action: "settings.releases.update",
  }),
  /** Overhead loading: a percentage globally and per feature. Part of every fully-loaded cost. */
  overhead: define<OverheadConfig>({
    label: "Overhead loading",
    schema: overheadConfigSchema,
    default: { globalPercent: null, perFeature: {} },
    invalid: "refuse",
    action: "settings.overhead.update",
    rebuildsRollups: true,
    check: knownFeatures,
  }),
  /** The reconciliation tolerance: |variance %| up to it is "within". */
  "finance.tolerancePct": define<string>({
    label: "Reconciliation tolerance",
    schema: tolerancePctValue,
    default: "1",
    invalid: "default",
    action: "settings.finance.update",
  }),
  /** How notification deliveries are retried: tries before the dead-letter list, first and longest wait. */
  "notifications.delivery": define<DeliverySettings>({
    label: "Notification delivery",
    schema: deliverySettingsValue,
    default: DEFAULT_DELIVERY,
    invalid: "default",
    action: "settings.notifications.update",
  }),
  /** When the weekly digest is sent: weekday and hour in the organisation's time zone (default Monday 08:00). */
  "notifications.digest": define<DigestSettings>({
    label: "Weekly digest schedule",
    schema: digestSettingsValue,
    default: DEFAULT_DIGEST,
    invalid: "default",
    action: "settings.notifications.update",
  }),
};

export type SettingKey = keyof typeof SETTINGS;
export type SettingValue<K extends SettingKey> = (typeof SETTINGS)[K]["default"];
export type SettingValues = { [K in SettingKey]: SettingValue<K> };
/** A setting's value and when it was last written (null while unset). */
export type SettingEntry<K extends SettingKey> = { value: SettingValue<K>; updatedAt: string | null };

/** Where the settings pages send someone to fix a stored value that cannot be read. */
const WHERE: Partial<Record<SettingKey, string>> = { overhead: "Settings → GPU & overhead" };

function parseStored<K extends SettingKey>(key: K, stored: unknown): SettingValue<K> {
  const def = SETTINGS[key] as Definition<SettingValue<K>>;
  const parsed = def.schema.safeParse(stored);
  if (parsed.success) return parsed.data;
  if (def.invalid === "default") return def.default;
  throw new AppError(
    "invalid_setting",
    500,
    `The stored ${def.label.toLowerCase()} setting is not valid (${parsed.error.issues.map((i) => i.message).join("; ")}); save it again${WHERE[key] ? ` in ${WHERE[key]}` : ""}.`,
  );
}

/** These settings with when each was last written (one query). */
export async function getSettingEntries<K extends SettingKey>(db: Db, keys: readonly K[]): Promise<{ [P in K]: SettingEntry<P> }> {
  const { rows } = await db.query<{ key: string; value: unknown; updated_at: Date }>("SELECT key, value, updated_at FROM settings WHERE key = ANY($1::text[])", [keys]);
  const byKey = new Map(rows.map((r) => [r.key, r]));
  const out = {} as { [P in K]: SettingEntry<P> };
  for (const key of keys) {
    const row = byKey.get(key);
    out[key] = row
      ? { value: parseStored(key, row.value), updatedAt: row.updated_at.toISOString() }
      : { value: SETTINGS[key].default as SettingValue<typeof key>, updatedAt: null };
  }
  return out;
}

/** These settings' values (one query). */
export async function getSettings<K extends SettingKey>(db: Db, keys: readonly K[]): Promise<{ [P in K]: SettingValue<P> }> {
  const entries = await getSettingEntries(db, keys);
  const out = {} as { [P in K]: SettingValue<P> };
  for (const key of keys) out[key] = entries[key].value;
  return out;
}

export async function getSetting<K extends SettingKey>(db: Db, key: K): Promise<SettingValue<K>> {
  return (await getSettings(db, [key]))[key];
}

export type SetSettingsOptions = {
  /** One audit entry for the whole change instead of one per key (a form that saves several keys as one thing). */
  audit?: AuditEntry;
  /** More writes that belong to the same change, in the same transaction (before the audit entry). */
  alsoIn?: (tx: Tx) => Promise<void>;
};

/**
 * Validates each value against its key's schema (and its database check), writes them and records the
 * change in the audit log, in one transaction; a key whose change rebuilds the rollups, when its value
 * changed, clears the refresh watermark. Returns what was written, with its time.
 */
export async function setSettings<K extends SettingKey>(
  db: Db,
  actor: Actor,
  values: { [P in K]: SettingValue<P> },
  opts: SetSettingsOptions = {},
): Promise<{ [P in K]: SettingEntry<P> }> {
  const keys = Object.keys(values) as K[];
  const parsed = {} as { [P in K]: SettingValue<P> };
  for (const key of keys) {
    const def = SETTINGS[key] as Definition<SettingValue<K>>;
    parsed[key] = validate(def.schema, values[key], `${def.label.toLowerCase()} setting`);
  }
  return withTransaction(async (tx) => {
    for (const key of keys) await (SETTINGS[key] as Definition<SettingValue<K>>).check?.(tx, parsed[key]);
    const json = keys.map((k) => JSON.stringify(parsed[k]));
    const before = await tx.query<{ key: string; value: unknown }>("SELECT key, value FROM settings WHERE key = ANY($1::text[]) FOR UPDATE", [keys]);
    const stored = new Map(before.rows.map((r) => [r.key, r.value]));
    // Compared as jsonb (key order and spacing do not count): which values this change really changes.
    const differ = await tx.query<{ key: string }>(
      `SELECT t.k AS key FROM unnest($1::text[], $2::jsonb[]) AS t(k, v) LEFT JOIN settings s ON s.key = t.k WHERE s.value IS DISTINCT FROM t.v`,
      [keys, json],
    );
    const changed = new Set(differ.rows.map((r) => r.key));
    const { rows } = await tx.query<{ key: string; updated_at: Date }>(
      `INSERT INTO settings (key, value, updated_at)
       SELECT k, v, now() FROM unnest($1::text[], $2::jsonb[]) AS t(k, v)
       ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = EXCLUDED.updated_at
       RETURNING key, updated_at`,
      [keys, json],
    );
    const written = new Map(rows.map((r) => [r.key, r.updated_at.toISOString()]));
    if (opts.alsoIn) await opts.alsoIn(tx);
    // Another time zone moves requests between weeks, other overhead changes every fully-loaded cost.
    if (keys.some((k) => (SETTINGS[k] as Definition<unknown>).rebuildsRollups && changed.has(k))) {
      await tx.query("DELETE FROM settings WHERE key = 'rollups.watermark'");
    }
    await recordAudit(
      tx,
      actor,
      opts.audit ??
        keys.map((k) => ({ action: SETTINGS[k].action, entityType: "setting", entityId: k, before: stored.get(k) ?? null, after: parsed[k] as unknown })),
    );
    const out = {} as { [P in K]: SettingEntry<P> };
    for (const key of keys) out[key] = { value: parsed[key], updatedAt: written.get(key)! };
    return out;
  }, { db });
}
