// Sends a parsed event file in batches and adds up what happened, with every refusal on its file
// line. Shared by the upload page (posting to /api/v1/events with the session) and the CLI (over
// HTTP with an API key, or straight into the database), so it imports nothing of Node.
/*
 * Re-sending is safe: ingest is idempotent by event id, so a batch retried after a lost answer,
 * or a whole file uploaded twice, counts as duplicates rather than double costs. That is what lets
 * postEvents retry 429 (after Retry-After), 5xx and dropped connections with backoff.
 */
import { rowErrorsFor, type ParsedFile, type RowError } from "@/lib/ingest/csv-row";
import type { IngestResult } from "@/lib/ingest/store-events";
import { parseRetryAfter } from "@/lib/http/retry-after";

export const DEFAULT_BATCH_SIZE = 1000;

export type SendBatch = (events: unknown[]) => Promise<IngestResult>;

export type UploadSummary = {
  /** Data rows in the file. */
  rows: number;
  /** Rows handed to the server so far. */
  sent: number;
  accepted: number;
  duplicates: number;
  unpriced: number;
  /** Rows refused, by the file reader or the server. */
  rejected: number;
  /** One entry per problem, in file order. */
  errors: RowError[];
  /** Why the upload stopped before the end, or null when it got through the file. */
  failure: string | null;
};

/**
 * The summary's headline: how many rows of the file were stored and how many rejected, never just the
 * row count ("Uploaded 4 rows." read as success when 3 of them were refused).
 */
export function uploadHeadline(s: Pick<UploadSummary, "rows" | "accepted" | "duplicates" | "rejected" | "failure">): string {
  const rows = (n: number) => `${n} row${n === 1 ? "" : "s"}`;
  const parts = [`stored ${s.accepted}`];
  if (s.duplicates) parts.push(`${s.duplicates} already stored before`);
  parts.push(`${s.rejected} rejected`);
  const what = `${parts.join(", ")}`;
  if (s.failure) return `The upload stopped: of ${rows(s.rows)}, ${what}.`;
  return `Of ${rows(s.rows)}: ${what}.`;
}

export type UploadProgress = { sent: number; total: number; batch: number; batches: number; summary: UploadSummary };

export async function uploadParsedFile(
  file: ParsedFile,
  send: SendBatch,
  opts: { batchSize?: number; onProgress?: (p: UploadProgress) => void } = {},
): Promise<UploadSummary> {
  const batchSize = Math.max(1, Math.floor(opts.batchSize ?? DEFAULT_BATCH_SIZE));
  const summary: UploadSummary = {
    rows: file.rowCount,
    sent: 0,
    accepted: 0,
    duplicates: 0,
    unpriced: 0,
    rejected: file.errors.length,
    errors: [...file.errors],
    failure: file.fileError,
  };
  if (file.fileError) return summary;
  const batches = Math.ceil(file.rows.length / batchSize);
  for (let b = 0; b < batches; b++) {
    const batch = file.rows.slice(b * batchSize, (b + 1) * batchSize);
    let result: IngestResult;
    try {
      result = await send(batch.map((r) => r.event));
    } catch (err) {
      const first = batch[0]?.line;
      summary.failure = `${err instanceof Error ? err.message : String(err)} (stopped at the batch starting on line ${first}; rows before it were stored, and uploading the file again is safe)`;
      break;
    }
    summary.sent += batch.length;
    summary.accepted += result.accepted;
    summary.duplicates += result.duplicates;
    summary.unpriced += result.unpriced;
    summary.rejected += result.rejected.length;
    summary.errors.push(...rowErrorsFor(result.rejected, batch, file.format));
    opts.onProgress?.({ sent: summary.sent, total: file.rows.length, batch: b + 1, batches, summary });
  }
  summary.errors.sort((a, b) => a.line - b.line);
  return summary;
}

export class UploadError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
  ) {
    super(message);
    this.name = "UploadError";
  }
}

export type PostOptions = {
  headers?: Record<string, string>;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  /** Tries per batch, the first included. */
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  onRetry?: (info: { attempt: number; delayMs: number; reason: string }) => void;
};

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * A SendBatch that posts {"events": […]} to the ingest API at url, retrying what may succeed later:
 * 429 (waiting as long as Retry-After says), 5xx and network failures (exponential backoff).
 * Other refusals (401, 403, 400, 413) are not retried: the message says what to fix.
 */
export function eventsPoster(url: string, opts: PostOptions = {}): SendBatch {
  const doFetch = opts.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const sleep = opts.sleep ?? wait;
  const maxAttempts = opts.maxAttempts ?? 8;
  const baseDelay = opts.baseDelayMs ?? 1000;
  const maxDelay = opts.maxDelayMs ?? 30_000;
  return async (events) => {
    const body = JSON.stringify({ events });
    for (let attempt = 1; ; attempt++) {
      let reason: string;
      let delay = Math.min(maxDelay, baseDelay * 2 ** (attempt - 1));
      try {
        const res = await doFetch(url, { method: "POST", headers: { "Content-Type": "application/json", ...opts.headers }, body });
        if (res.status === 200 || res.status === 207) return (await res.json()) as IngestResult;
        const message = await errorMessage(res);
        if (res.status === 429) {
          reason = `rate limited (429): ${message}`;
          delay = Math.min(5 * 60_000, parseRetryAfter(res.headers.get("retry-after")) ?? delay);
        } else if (res.status >= 500) {
          reason = `server error ${res.status}: ${message}`;
        } else {
          throw new UploadError(`The server refused the batch (${res.status}): ${message}`, res.status);
        }
      } catch (err) {
        if (err instanceof UploadError) throw err;
        reason = `could not reach ${url}: ${causeOf(err)}`;
      }
      if (attempt >= maxAttempts) throw new UploadError(`Gave up after ${attempt} tries; the last one failed: ${reason}`, null);
      opts.onRetry?.({ attempt, delayMs: delay, reason });
      await sleep(delay);
    }
  };
}

async function errorMessage(res: Response): Promise<string> {
  const text = await res.text().catch(() => "");
  try {
    const json = JSON.parse(text) as { error?: { message?: string } };
    if (json.error?.message) return json.error.message;
  } catch {
    /* not JSON */
  }
  return text.trim().slice(0, 300) || res.statusText || "no message";
}

function causeOf(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = (err as { cause?: unknown }).cause;
  if (cause instanceof Error) return `${err.message} (${(cause as { code?: string }).code ?? cause.message})`;
  return err.message;
}
