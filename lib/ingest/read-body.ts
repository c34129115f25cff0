// Reads an ingest request body within the size limit and splits it into raw events: a JSON object
// {"events":[…]} or NDJSON (one event per line). A malformed NDJSON line is a per-row error, not a 400.
import { AppError } from "@/lib/errors";
import { checkJson, decodeUtf8 } from "@/lib/http/input";
import type { RejectedRow } from "@/lib/ingest/store-events";

export type RawBatch = { events: unknown[]; rejected: RejectedRow[] };

export async function readLimitedText(req: Request, maxBytes: number): Promise<string> {
  // Strict: invalid UTF-8 is a 400, never U+FFFD (two distinct ids could collide).
  return decodeUtf8(await readLimitedBytes(req, maxBytes));
}

/** The raw body, refused with 413 as soon as it grows past maxBytes (whatever Content-Length claims). */
export async function readLimitedBytes(req: Request, maxBytes: number): Promise<Uint8Array> {
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (declared > maxBytes) throw tooLarge(maxBytes);
  if (!req.body) return new Uint8Array(0);
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

export const tooLarge = (maxBytes: number) =>
  new AppError("payload_too_large", 413, `The body is larger than ${maxBytes} bytes; split it into smaller batches.`, { maxBytes });

export function parseIngestBody(text: string, contentType: string, maxEvents: number): RawBatch {
  const ndjson = /ndjson|jsonl|x-jsonlines/i.test(contentType);
  let events: unknown[];
  const rejected: RejectedRow[] = [];
  if (ndjson) {
    events = [];
    text.split(/\r?\n/).forEach((line) => {
      if (!line.trim()) return;
      const index = events.length;
      let value: unknown;
      try {
        value = JSON.parse(line) as unknown;
      } catch (e) {
        events.push(undefined);
        rejected.push({ index, id: null, errors: [{ path: `events.${index}`, message: `line is not valid JSON: ${(e as Error).message}` }] });
        return;
      }
      // A line that parses is held to the same rules as a JSON body: the whole request is refused.
      checkJson(line, value, `body.events[${index}]`);
      events.push(value);
    });
  } else {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (e) {
      throw new AppError("invalid_json", 400, `The body is not valid JSON (${(e as Error).message}). Send {"events":[…]} or NDJSON with Content-Type: application/x-ndjson.`);
    }
    checkJson(text, body);
    if (!body || typeof body !== "object" || !Array.isArray((body as { events?: unknown }).events)) {
      throw new AppError("invalid_request", 400, 'The body must be an object with an "events" array: {"events":[{…}, …]}.');
    }
    events = (body as { events: unknown[] }).events;
  }
  if (events.length === 0) throw new AppError("invalid_request", 400, "The batch has no events.");
  if (events.length > maxEvents) {
    throw new AppError("payload_too_large", 413, `The batch has ${events.length} events; the limit is ${maxEvents} per request.`, { maxEvents });
  }
  return { events, rejected };
}
