// Personal notifications: one person learns of something that concerns them (a follow-up assigned or
// changed, due tomorrow or overdue, an item or release awaiting their justification, an incident on their
// endpoint, their session signed off, a mention). notifyPerson is called on the caller's transaction, so
// the message commits or rolls back with the change that caused it. It goes by email when an SMTP channel
// is enabled and the person has not chosen "none" for the kind, with an unsubscribe link for that kind;
// webhooks that take the event get it too (once per event and person). Nobody is told of their own action.
import type { Db } from "@/lib/db/client";
import { emailChannel, listChannels } from "@/lib/notify/channels";
import { enqueue, publicUrl } from "@/lib/notify/outbox";
import { unsubscribeLinks, wantsEmail } from "@/lib/notify/preferences";
import { escapeHtml } from "@/lib/notify/send";
import { EVENT_TYPES, type PersonalKind } from "@/lib/notify/schemas";

export type PersonalNotice = {
  kind: PersonalKind;
  subject: string;
  /** Plain text: what happened, in a sentence or a few lines. */
  text: string;
  /** The page it is about (a path; made absolute at the public URL). */
  path: string;
  /** The webhook's data. */
  data: Record<string, unknown>;
  /** Unique per event: the person's id is added, so each person gets it once. */
  key: string;
};

/** An absolute link at the public URL (a path while NEXTAUTH_URL is unset). */
export const absolute = (path: string) => `${publicUrl() ?? ""}${path}`;

/** The email's footer: why it came, and the link that stops this kind. */
export function footer(kind: PersonalKind, unsubscribe: string): { text: string; html: string } {
  const why = `You get this email because of your Cost Review notification settings (${EVENT_TYPES[kind]}).`;
  return {
    text: `--\n${why}\nStop these emails: ${unsubscribe}\nAll your notification settings: ${absolute("/my-work/notifications")}`,
    html: `<p style="color:#64748b;font-size:12px">${escapeHtml(why)} <a href="${escapeHtml(unsubscribe)}">Stop these emails</a> · <a href="${escapeHtml(absolute("/my-work/notifications"))}">All your notification settings</a></p>`,
  };
}

/**
 * Enqueues the notice for the person on `db` (the caller's transaction). Returns whether an email was
 * enqueued (false: no SMTP channel, the person chose none, is disabled, or is `actorId`).
 */
export async function notifyPerson(db: Db, userId: string | null | undefined, n: PersonalNotice, opts: { actorId?: string | null } = {}): Promise<boolean> {
  if (!userId || userId === opts.actorId) return false;
  const link = absolute(n.path);
  const data = { ...n.data, link };
  for (const c of (await listChannels(db)).filter((ch) => ch.kind === "webhook" && ch.enabled && (ch.events.length === 0 || ch.events.includes(n.kind)))) {
    await enqueue(db, { kind: n.kind, channel: "webhook", channelId: c.id, recipientUserId: userId, payload: { subject: n.subject, text: n.text, link, data: { ...data, userId } }, idempotencyKey: `${n.key}:${userId}:${c.id}` });
  }
  const [smtp, person] = await Promise.all([emailChannel(db), wantsEmail(db, userId, n.kind)]);
  if (!smtp?.enabled || !person) return false;
  const unsubscribe = await unsubscribeLinks(db, userId, n.kind);
  const f = footer(n.kind, unsubscribe.page);
  const paras = n.text.split(/\n{2,}/).map((p) => `<p>${escapeHtml(p).replace(/\n/g, "<br>")}</p>`);
  const html = `<!doctype html><html><body style="font-family: system-ui, sans-serif; line-height: 1.5">${paras.join("")}<p><a href="${escapeHtml(link)}">Open in Cost Review</a></p>${f.html}</body></html>`;
  const { created } = await enqueue(db, {
    kind: n.kind,
    channel: "email",
    channelId: smtp.id,
    recipient: person.email,
    recipientUserId: userId,
    payload: { subject: n.subject, text: `${n.text}\n\n${link}\n\n${f.text}`, html, data, unsubscribe: unsubscribe.oneClick },
    idempotencyKey: `${n.key}:${userId}`,
  });
  return created;
}
