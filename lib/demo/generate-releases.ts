// The demo's releases, placed in the demo's weeks (week 0 = oldest of the twelve, as in generate-events):
// the chat.answer release of week 11 that made answers dearer (left unjustified, so the review asks for
// it), the summariser's move to a reasoning model in week 8 (justified as a quality improvement), and
// two uneventful ones.
import type pg from "pg";
import { recordAudit } from "@/lib/audit/record-audit";
import { DEMO_WEEKS, isoWeekStart } from "@/lib/demo/generate-events";
import { withTransaction } from "@/lib/db/transaction";

const WEEK_MS = 7 * 24 * 3_600_000;
const HOUR_MS = 3_600_000;

export type DemoRelease = {
  externalId: string;
  version: string;
  title: string;
  description: string;
  /** Week index and hours after that week's Monday 00:00 UTC. */
  week: number;
  hour: number;
  endpoints: string[];
  author: string;
  justification?: { class: string; text: string; by: string };
};

export const DEMO_RELEASES: DemoRelease[] = [
  {
    externalId: "demo-chat-title-1.3.1",
    version: "chat-title 1.3.1",
    title: "Shorter prompt for conversation titles",
    description: "Trims the instructions sent with the first turn; titles read the same.",
    week: 4,
    hour: 2 * 24 + 14,
    endpoints: ["chat.title"],
    author: "Priya Owner",
  },
  {
    externalId: "demo-summaries-2.0.0",
    version: "summaries 2.0.0",
    title: "Summaries on a reasoning model (o4-mini)",
    description: "Document summaries move from gpt-4o-mini to o4-mini. Reviewers rated the new summaries clearly better.",
    week: 8,
    hour: 24 + 9,
    endpoints: ["docs.summarise"],
    author: "Priya Owner",
    justification: {
      class: "quality_improvement",
      text: "Expected: o4-mini spends **reasoning tokens**, so each summary costs more. In the blind review 78 % of summaries were rated better, and support tickets about wrong summaries halved. Accepted as the price of quality.",
      by: "owner@example.com",
    },
  },
  {
    externalId: "demo-search-3.1.0",
    version: "search 3.1.0",
    title: "Reranker timeout tuned",
    description: "Raises the reranker timeout so slow queries stop falling back to unranked results.",
    week: 9,
    hour: 3 * 24 + 11,
    endpoints: ["search.query"],
    author: "Sam Search",
  },
  {
    externalId: "demo-chat-answer-4.2.0",
    version: "chat 4.2.0",
    title: "Answers see the whole conversation",
    description: "The answer prompt now carries the full conversation history instead of the last three turns.",
    week: 11,
    hour: 10,
    endpoints: ["chat.answer"],
    author: "Priya Owner",
  },
];

/** Records the demo releases (once: they carry external ids); returns how many were new. */
export async function seedDemoReleases(db: pg.Pool, now = new Date()): Promise<number> {
  const first = isoWeekStart(now).getTime() - DEMO_WEEKS * WEEK_MS;
  let created = 0;
  await withTransaction(async (c) => {
    for (const r of DEMO_RELEASES) {
      const shippedAt = new Date(first + r.week * WEEK_MS + r.hour * HOUR_MS);
      if (shippedAt.getTime() > now.getTime()) continue;
      const { rows } = await c.query<{ id: string }>(
        `INSERT INTO releases (external_id, version, title, description, shipped_at, endpoints, author, created_by_label)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'seed') ON CONFLICT (external_id) DO NOTHING RETURNING id`,
        [r.externalId, r.version, r.title, r.description, shippedAt, r.endpoints, r.author],
      );
      const id = rows[0]?.id;
      if (!id) continue;
      created++;
      await recordAudit(c, { label: "seed" }, { action: "release.create", entityType: "release", entityId: id, after: { version: r.version, endpoints: r.endpoints } });
      if (r.justification) {
        const by = await c.query<{ id: string }>("SELECT id FROM users WHERE email = $1", [r.justification.by]);
        await c.query(
          `INSERT INTO release_justifications (release_id, version, class, text, author_id, author_label, created_at)
           VALUES ($1, 1, $2, $3, $4, $5, $6)`,
          [id, r.justification.class, r.justification.text, by.rows[0]?.id ?? null, r.justification.by, new Date(Math.min(now.getTime(), shippedAt.getTime() + 8 * 24 * HOUR_MS))],
        );
      }
    }
  }, { db });
  return created;
}
