// What each person wants per notification kind (email or none; no row: email), and the unsubscribe
// link every email carries: /unsubscribe?u=<user>&k=<kind>&t=<signature>. The signature is an
// HMAC-SHA256 of the person and kind with a key the database keeps (made on first use), so the app and
// the CLI sign alike and a link cannot be made for another person or kind. Opening the link only shows a
// confirmation (mail scanners that prefetch links change nothing); the button on it (a POST) applies,
// and so does a mail client's one-click List-Unsubscribe-Post.
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { Db } from "@/lib/db/client";
import { withTransaction } from "@/lib/db/transaction";
import { recordAudit, type Actor } from "@/lib/audit/record-audit";
import { badRequest, notFound } from "@/lib/errors";
import { publicUrl } from "@/lib/notify/outbox";
import { EVENT_TYPES, PERSONAL_KINDS, type PersonalKind, type PreferenceChannel } from "@/lib/notify/schemas";

export type Preference = { kind: PersonalKind; label: string; channel: PreferenceChannel };

/** Every kind with the person's choice (email unless they chose none). */
export async function getPreferences(db: Db, userId: string): Promise<Preference[]> {
  const { rows } = await db.query<{ kind: string; channel: PreferenceChannel }>("SELECT kind, channel FROM notification_preferences WHERE user_id = $1", [userId]);
  const chosen = new Map(rows.map((r) => [r.kind, r.channel]));
  return PERSONAL_KINDS.map((kind) => ({ kind, label: EVENT_TYPES[kind], channel: chosen.get(kind) ?? "email" }));
}

/** Sets the given kinds for the person (audited); the others stay. */
export async function setPreferences(db: Db, userId: string, changes: Partial<Record<PersonalKind, PreferenceChannel>>, actor: Actor): Promise<Preference[]> {
  await withTransaction(async (tx) => {
    const before = await getPreferences(tx, userId);
    const entries = Object.entries(changes) as [PersonalKind, PreferenceChannel][];
    if (!entries.length) return;
    for (const [kind, channel] of entries) {
      await tx.query(
        `INSERT INTO notification_preferences (user_id, kind, channel) VALUES ($1, $2, $3)
         ON CONFLICT (user_id, kind) DO UPDATE SET channel = EXCLUDED.channel, updated_at = EXCLUDED.updated_at`,
        [userId, kind, channel],
      );
    }
    await recordAudit(tx, actor, {
      action: "notifications.preferences.update",
      entityType: "user",
      entityId: userId,
      before: Object.fromEntries(before.filter((p) => p.kind in changes).map((p) => [p.kind, p.channel])),
      after: changes,
    });
  }, { db });
  return getPreferences(db, userId);
}

/** Whether the person gets this kind by email (an active user who did not choose none). */
export async function wantsEmail(db: Db, userId: string, kind: PersonalKind): Promise<{ email: string; name: string } | null> {
  const { rows } = await db.query<{ email: string; name: string; channel: string | null }>(
    `SELECT u.email, u.name, p.channel FROM users u LEFT JOIN notification_preferences p ON p.user_id = u.id AND p.kind = $2
     WHERE u.id = $1 AND NOT u.disabled`,
    [userId, kind],
  );
  const r = rows[0];
  return r && r.channel !== "none" ? { email: r.email, name: r.name } : null;
}

const KEY_ROW = "notifications.unsubscribe_key";

/** The signing key for unsubscribe links: made once, kept in the settings table (not a setting anyone edits). */
async function signingKey(db: Db): Promise<string> {
  await db.query("INSERT INTO settings (key, value) VALUES ($1, to_jsonb($2::text)) ON CONFLICT (key) DO NOTHING", [KEY_ROW, randomBytes(32).toString("hex")]);
  const { rows } = await db.query<{ value: string }>("SELECT value #>> '{}' AS value FROM settings WHERE key = $1", [KEY_ROW]);
  return rows[0]!.value;
}

const sign = (key: string, userId: string, kind: string) => createHmac("sha256", key).update(`unsubscribe:${userId}:${kind}`).digest("base64url").slice(0, 43);

/**
 * The person's unsubscribe links for one kind (absolute at the public URL): the page (a confirmation
 * with a button) for the email's text, and the API address a mail client POSTs to for one click.
 */
export async function unsubscribeLinks(db: Db, userId: string, kind: PersonalKind): Promise<{ page: string; oneClick: string }> {
  const query = new URLSearchParams({ u: userId, k: kind, t: sign(await signingKey(db), userId, kind) });
  return { page: `${publicUrl() ?? ""}/unsubscribe?${query}`, oneClick: `${publicUrl() ?? ""}/api/v1/unsubscribe?${query}` };
}

/** Checks an unsubscribe link's signature: a 400 when it was not made for this person and kind. */
export async function checkUnsubscribe(db: Db, q: { u: string; k: PersonalKind; t: string }): Promise<{ name: string; email: string; kind: PersonalKind; label: string; channel: PreferenceChannel }> {
  const expected = Buffer.from(sign(await signingKey(db), q.u, q.k));
  const given = Buffer.from(q.t);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw badRequest("This unsubscribe link is not valid: it may have been cut short in the email.");
  const { rows } = await db.query<{ name: string; email: string }>("SELECT name, email FROM users WHERE id = $1", [q.u]);
  if (!rows[0]) throw notFound("User");
  const pref = (await getPreferences(db, q.u)).find((p) => p.kind === q.k)!;
  return { ...rows[0], kind: q.k, label: pref.label, channel: pref.channel };
}

/** Applies an unsubscribe link: the kind set to none for its person (audited as done by the link). */
export async function unsubscribe(db: Db, q: { u: string; k: PersonalKind; t: string }): Promise<{ kind: PersonalKind; label: string }> {
  const who = await checkUnsubscribe(db, q);
  await setPreferences(db, q.u, { [q.k]: "none" }, { label: `unsubscribe link (${who.email})` });
  return { kind: q.k, label: who.label };
}
