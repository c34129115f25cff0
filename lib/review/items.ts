// Movement items: the feature owner's justification (every version kept), an admin's acceptance
// without one, and comments from anyone who reads the review.
import type pg from "pg";
import { recordAudit } from "@/lib/audit/record-audit";
import { actorOf, type Principal } from "@/lib/auth/principal";
import { mayAcceptItem, mayJustifyItem, userIdOf } from "@/lib/auth/policies";
import { conflict, forbidden, notFound } from "@/lib/errors";
import { withTransaction } from "@/lib/db/transaction";
import type { AcceptItemInput, CommentInput, JustifyItemInput } from "@/lib/review/schemas";
import { notifyMentions } from "@/lib/notify/events";
import { badRequest } from "@/lib/errors";

type LockedItem = { id: string; session_id: string; status: string; label: string; owner_id: string | null; justification: string | null; accepted_reason: string | null };

async function lockItem(client: pg.PoolClient, id: string): Promise<LockedItem> {
  const { rows } = await client.query<LockedItem>(
    `SELECT i.id, i.session_id, s.status, i.figures->>'label' AS label, f.owner_id, i.justification, i.accepted_reason
     FROM review_items i JOIN review_sessions s ON s.id = i.session_id
     LEFT JOIN endpoints e ON e.id = i.endpoint_id LEFT JOIN features f ON f.id = e.feature_id
     WHERE i.id = $1 FOR UPDATE OF i`,
    [id],
  );
  const item = rows[0];
  if (!item) throw notFound(`Review item ${id}`);
  // Share-lock the session so that a sign-off in flight waits for this change (and this one sees it).
  const s = await client.query<{ status: string }>("SELECT status FROM review_sessions WHERE id = $1 FOR SHARE", [item.session_id]);
  return { ...item, status: s.rows[0]!.status };
}

function requireOpen(item: LockedItem, doing: string) {
  if (item.status !== "open") throw conflict(`The session for '${item.label}' is closed; ${doing} is no longer possible.`);
}

export async function justifyItem(id: string, body: JustifyItemInput, principal: Principal): Promise<{ id: string }> {
  return withTransaction(async (client) => {
    const item = await lockItem(client, id);
    if (!mayJustifyItem(principal, { ownerId: item.owner_id })) {
      throw forbidden(`Only the owner of the feature behind '${item.label}' (or an admin) may justify it.`);
    }
    requireOpen(item, "changing its justification");
    const actor = actorOf(principal);
    await client.query(
      `UPDATE review_items SET justification = $2, justification_class = $3, justified_by_id = $4, justified_at = now() WHERE id = $1`,
      [id, body.text, body.class, userIdOf(principal)],
    );
    await client.query(
      `INSERT INTO review_item_justifications (item_id, body, justification_class, author_id, author_label) VALUES ($1, $2, $3, $4, $5)`,
      [id, body.text, body.class, userIdOf(principal), actor.label],
    );
    await recordAudit(client, actor, {
      action: "review_item.justify",
      entityType: "review_item",
      entityId: id,
      before: item.justification === null ? null : { text: item.justification },
      after: { text: body.text, class: body.class },
    });
    return { id };
  });
}

export async function acceptItem(id: string, body: AcceptItemInput, principal: Principal): Promise<{ id: string }> {
  if (!mayAcceptItem(principal)) throw forbidden("Only an admin may accept an item without a justification.");
  return withTransaction(async (client) => {
    const item = await lockItem(client, id);
    requireOpen(item, "accepting it");
    await client.query(`UPDATE review_items SET accepted_reason = $2, accepted_by_id = $3, accepted_at = now() WHERE id = $1`, [
      id,
      body.reason,
      userIdOf(principal),
    ]);
    await recordAudit(client, actorOf(principal), {
      action: "review_item.accept",
      entityType: "review_item",
      entityId: id,
      before: item.accepted_reason === null ? null : { reason: item.accepted_reason },
      after: { reason: body.reason },
    });
    return { id };
  });
}

export async function commentOnItem(id: string, body: CommentInput, principal: Principal): Promise<{ id: string }> {
  return withTransaction(async (client) => {
    await lockItem(client, id);
    const actor = actorOf(principal);
    const mentions = [...new Set(body.mentions ?? [])];
    if (mentions.length) {
      const known = await client.query<{ id: string }>("SELECT id FROM users WHERE id = ANY($1::uuid[]) AND NOT disabled", [mentions]);
      const missing = mentions.filter((m) => !known.rows.some((k) => k.id === m));
      if (missing.length) throw badRequest(`Mentions names people who do not exist or are disabled: ${missing.join(", ")}.`, missing.map(() => ({ path: "mentions", message: "pick people from the list" })));
    }
    const { rows } = await client.query<{ id: string }>(
      `INSERT INTO review_item_comments (item_id, body, author_id, author_label, mentions) VALUES ($1, $2, $3, $4, $5::uuid[]) RETURNING id`,
      [id, body.text, userIdOf(principal), actor.label, mentions],
    );
    await recordAudit(client, actor, { action: "review_item.comment", entityType: "review_item", entityId: id, after: { comment: rows[0]!.id, text: body.text, mentions } });
    await notifyMentions(client, { commentId: rows[0]!.id, itemId: id, text: body.text, author: actor.label, mentions }, userIdOf(principal));
    return { id: rows[0]!.id };
  });
}
