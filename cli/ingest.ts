// `cost-review ingest FILE`: load a CSV or NDJSON file of cost events, over HTTP into a running app
// (--url, --key) or straight into the database, in batches; per-row errors on the file's lines.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { connect } from "@/lib/db/connect";
import { pool } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { formatOf, parseEventsFile, type FileFormat } from "@/lib/ingest/csv-row";
import { ingestEvents } from "@/lib/ingest/store-events";
import { DEFAULT_BATCH_SIZE, eventsPoster, uploadParsedFile, type SendBatch, type UploadSummary } from "@/lib/ingest/upload-file";
import { ensureBuiltInPrices } from "@/lib/pricing/load-prices";

export type IngestOptions = { file: string; url?: string; key?: string; batch?: string; format?: string };

const usage = (message: string) => new AppError("usage", 2, message);

/** The ingest endpoint for --url: the app's base URL, or the full /api/v1/events URL. */
export function eventsUrl(base: string): string {
  let url: URL;
  try {
    url = new URL(base);
  } catch {
    throw usage(`--url must be the app's address, such as http://127.0.0.1:3000 (got ${JSON.stringify(base)})`);
  }
  if (!/^https?:$/.test(url.protocol)) throw usage("--url must start with http:// or https://");
  const trimmed = url.toString().replace(/\/+$/, "");
  return /\/api\/v1\/events$/.test(trimmed) ? trimmed : `${trimmed}/api/v1/events`;
}

export async function ingestCommand(opts: IngestOptions): Promise<number> {
  const batchSize = opts.batch === undefined ? DEFAULT_BATCH_SIZE : Number(opts.batch);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw usage(`--batch must be a whole number of 1 or more (got ${JSON.stringify(opts.batch)})`);
  let format: FileFormat | null;
  if (opts.format !== undefined) {
    if (opts.format !== "csv" && opts.format !== "ndjson") throw usage("--format must be csv or ndjson");
    format = opts.format;
  } else {
    format = formatOf(opts.file);
    if (!format) throw usage(`Cannot tell the format of ${opts.file}: name it .csv, .ndjson or .jsonl, or pass --format csv|ndjson`);
  }
  const key = opts.key ?? env().COST_REVIEW_API_KEY;
  if (opts.url && !key) throw usage("--url needs an API key: pass --key KEY (an ingest key) or set COST_REVIEW_API_KEY");

  let text: string;
  try {
    text = await readFile(opts.file, "utf8");
  } catch (err) {
    throw new AppError("not_found", 1, `Cannot read ${opts.file}: ${(err as Error).message}`);
  }
  const parsed = parseEventsFile(text, format);
  const name = path.basename(opts.file);
  if (parsed.fileError) {
    console.error(`error: ${name}: ${parsed.fileError}`);
    return 1;
  }
  const target = opts.url ? eventsUrl(opts.url) : "the database";
  console.log(`${name}: ${parsed.rowCount} row${parsed.rowCount === 1 ? "" : "s"} (${format.toUpperCase()}), sending to ${target} in batches of ${batchSize}`);

  const run = (send: SendBatch) =>
    uploadParsedFile(parsed, send, {
      batchSize,
      onProgress: (p) => console.error(`  batch ${p.batch}/${p.batches}: ${p.sent}/${p.total} rows sent`),
    });

  let summary: UploadSummary;
  if (opts.url) {
    const send = eventsPoster(eventsUrl(opts.url), {
      headers: { Authorization: `Bearer ${key}` },
      onRetry: ({ attempt, delayMs, reason }) => console.error(`  try ${attempt} failed (${reason}); retrying in ${(delayMs / 1000).toFixed(1)} s`),
    });
    summary = await run(send);
  } else {
    const conn = await connect();
    try {
      await migrate(pool());
      await ensureBuiltInPrices(pool());
      summary = await run((events) => ingestEvents(events));
    } finally {
      await conn.close();
    }
  }
  printSummary(summary);
  return summary.rejected > 0 || summary.failure ? 1 : 0;
}

function printSummary(s: UploadSummary): void {
  console.log(
    `${s.failure ? "Stopped" : "Done"}: ${s.rows} row${s.rows === 1 ? "" : "s"}, ` +
      `${s.accepted} accepted, ${s.duplicates} duplicate${s.duplicates === 1 ? "" : "s"} (already stored), ${s.unpriced} unpriced, ${s.rejected} rejected.`,
  );
  if (s.errors.length) {
    console.log("Rejected rows:");
    for (const e of s.errors) {
      console.log(`  line ${e.line}${e.id ? ` (id ${e.id})` : ""}: ${e.field ? `${e.field}: ` : ""}${e.message}`);
    }
  }
  if (s.failure) console.error(`error: ${s.failure}`);
}
