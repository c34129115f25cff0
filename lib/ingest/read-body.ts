// Splits an ingest request body (read by lib/http/body.ts within the size limit) into raw events: a JSON object
// {"events":[…]} or NDJSON (one event per line). A malformed NDJSON line is a per-row error, not a 400.
import { AppError } from "@/lib/errors";
import { checkJson, jsonTextMayNeedCheck } from "@/lib/http/input";
import type { RejectedRow } from "@/lib/ingest/store-events";

export type RawBatch = { events: unknown[]; rejected: RejectedRow[] };

export function parseIngestBody(text: string, contentType: string, maxEvents: number): RawBatch {
  const ndjson = /ndjson|jsonl|x-jsonlines/i.test(contentType);
  let events: unknown[];
  const rejected: RejectedRow[] = [];
  if (ndjson) {
    events = [];
    const check = jsonTextMayNeedCheck(text); // one pass over the whole body instead of one per line
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
      if (check) checkJson(line, value, `body.events[${index}]`);
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
