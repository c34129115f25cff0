// A release's justification: written by the owner of a touched feature or an admin, classified, kept
// with every earlier version, and audited.
import type { Db } from "@/lib/db/client";
import { recordAudit } from "@/lib/audit/record-audit";
import { actorOf, type Principal } from "@/lib/auth/principal";
import { forbidden, notFound } from "@/lib/errors";
import { mayJustifyRelease, WHO_MAY_JUSTIFY_RELEASE } from "@/lib/auth/policies";
import type { JustificationClass } from "@/lib/review/justification-classes";
import { releaseFacts, type JustificationView } from "@/lib/releases/releases";
import type { JustificationInput } from "@/lib/releases/schemas";
import { withTransaction } from "@/lib/db/transaction";

/** Whether the principal may justify the release (lib/auth/policies.ts), on its stored features. */
export async function mayJustify(db: Db, principal: Principal, releaseId: string): Promise<boolean> {
  const facts = await releaseFacts(db, releaseId);
  return facts !== null && mayJustifyRelease(principal, facts);
}

export async function justificationHistory(db: Db, releaseId: string): Promise<JustificationView[]> {
  const { rows } = await db.query<{ version: number; class: string; text: string; author_label: string; author_id: string | null; created_at: Date }>(
    // Signed with the author's name, as review justifications are; the stored label (an email or an API
    // key) when the user is gone or a key wrote it.
    `SELECT j.version, j.class, j.text, coalesce(u.name, j.author_label) AS author_label, j.author_id, j.created_at
     FROM release_justifications j LEFT JOIN users u ON u.id = j.author_id
     WHERE j.release_id = $1 ORDER BY j.version DESC`,
    [releaseId],
  );
  return rows.map((r) => ({ version: r.version, class: r.class as JustificationClass, text: r.text, author: r.author_label, authorId: r.author_id, at: r.created_at.toISOString() }));
}

/** Writes a new version of the release's justification (the first, or an edit). */
export async function justifyRelease(db: Db, releaseId: string, input: JustificationInput, principal: Principal): Promise<JustificationView> {
  return withTransaction(async (c) => {
    const lock = await c.query("SELECT id FROM releases WHERE id = $1 FOR UPDATE", [releaseId]);
    if (!lock.rows[0]) throw notFound("Release");
    if (!(await mayJustify(c, principal, releaseId))) {
      throw forbidden(WHO_MAY_JUSTIFY_RELEASE);
    }
    const actor = actorOf(principal);
    const previous = (await justificationHistory(c, releaseId))[0] ?? null;
    const { rows } = await c.query<{ version: number; created_at: Date }>(
      `INSERT INTO release_justifications (release_id, version, class, text, author_id, author_label)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING version, created_at`,
      [releaseId, (previous?.version ?? 0) + 1, input.class, input.text, actor.id ?? null, actor.label],
    );
    const author = principal.kind === "user" ? principal.user.name || actor.label : actor.label;
    const saved: JustificationView = { version: rows[0]!.version, class: input.class, text: input.text, author, authorId: actor.id ?? null, at: rows[0]!.created_at.toISOString() };
    await recordAudit(c, actor, {
      action: previous ? "release.justification.update" : "release.justification.create",
      entityType: "release",
      entityId: releaseId,
      before: previous ? { class: previous.class, text: previous.text, version: previous.version } : undefined,
      after: { class: saved.class, text: saved.text, version: saved.version },
    });
    return saved;
  }, { db });
}
