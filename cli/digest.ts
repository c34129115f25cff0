// `cost-review digest [--week 2026-W47] [--dry-run]`: the weekly digest of a week (default: the last
// complete week in the organisation's time zone). --dry-run prints it as Markdown; without, it is
// enqueued now (email to the people who attend, Slack channels, webhooks) and the app's worker sends it.
// A week already sent to a recipient is not sent to it again.
import { pool } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { buildDigest, digestMarkdown, enqueueDigest } from "@/lib/notify/digest";
import { lastCompleteMonday, mondayOf } from "@/lib/rollups/weeks";
import { getSetting } from "@/lib/settings/settings";

export async function digestCommand(opts: { week?: string; dryRun: boolean }): Promise<number> {
  const db = pool();
  let monday: string;
  if (opts.week !== undefined) {
    const m = mondayOf(opts.week);
    if (!m) throw new AppError("usage", 2, `--week must be an ISO week such as 2026-W47, not "${opts.week}"`);
    monday = m;
  } else {
    monday = lastCompleteMonday(new Date(), await getSetting(db, "timezone"));
  }
  const digest = await buildDigest(db, monday);
  if (opts.dryRun) {
    process.stdout.write(`${digestMarkdown(digest)}\n`);
    return 0;
  }
  const r = await enqueueDigest(db, monday, { digest });
  console.log(`digest ${r.week}: ${r.enqueued} message(s) enqueued for ${r.recipients} recipient(s)${r.enqueued < r.recipients ? ` (${r.recipients - r.enqueued} already sent or queued)` : ""}`);
  if (r.recipients === 0) console.error("warning: no recipients: set up an SMTP server, a Slack channel or a webhook in Settings → Notifications.");
  return 0;
}
