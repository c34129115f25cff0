// `cost-review quality FILE`: load a CSV of daily quality metrics, over HTTP into a running app
// (--url, --key) or straight into the database. Re-loading a file replaces the same days.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { connect } from "@/lib/db/connect";
import { pool } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { parseQualityCsv } from "@/lib/quality/quality-row";
import { ingestQuality, type QualityIngestResult } from "@/lib/quality/store-quality";
import { describeError, remote } from "@/cli/remote";

const BATCH = 1000;

export async function qualityCommand(opts: { file: string; url?: string; key?: string }): Promise<number> {
  let text: string;
  try {
    text = await readFile(opts.file, "utf8");
  } catch (err) {
    throw new AppError("not_found", 1, `Cannot read ${opts.file}: ${(err as Error).message}`);
  }
  const name = path.basename(opts.file);
  const csv = parseQualityCsv(text);
  if (csv.fileError) {
    console.error(`error: ${name}: ${csv.fileError}`);
    return 1;
  }
  const target = opts.url || env().COST_REVIEW_URL ? remote(opts, "quality --url") : null;
  let send: (rows: unknown[]) => Promise<QualityIngestResult>;
  let close = async () => {};
  if (target) {
    send = async (rows) => {
      const res = await fetch(`${target.base}/api/v1/quality`, {
        method: "POST",
        headers: { "Content-Type": "application/json", Authorization: `Bearer ${target.key}` },
        body: JSON.stringify({ rows }),
      });
      const body = (await res.json().catch(() => null)) as QualityIngestResult | null;
      if ((res.status !== 200 && res.status !== 207) || !body) throw new AppError("remote", 1, describeError(res.status, body));
      return body;
    };
  } else {
    const conn = await connect();
    await migrate(pool());
    send = (rows) => ingestQuality(pool(), rows);
    close = () => conn.close();
  }
  let accepted = 0;
  const problems: string[] = [];
  try {
    for (let i = 0; i < csv.rows.length; i += BATCH) {
      const r = await send(csv.rows.slice(i, i + BATCH));
      accepted += r.accepted;
      for (const rej of r.rejected) {
        const line = csv.lines[i + rej.index];
        for (const e of rej.errors) problems.push(`  line ${line}: ${e.path.replace(/^rows\.\d+\.?/, "") || "row"}: ${e.message}`);
      }
    }
  } finally {
    await close();
  }
  console.log(`${name}: ${csv.rows.length} rows, ${accepted} stored, ${csv.rows.length - accepted} rejected (to ${target ? target.base : "the database"}).`);
  if (problems.length) console.log(`Rejected rows:\n${problems.join("\n")}`);
  return accepted === csv.rows.length ? 0 : 1;
}
