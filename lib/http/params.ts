// The parameters many routes share, parsed one way: an ISO week, a finance month, an object's UUID.
// Use them in a route's `params` or `query` schema (route() in lib/auth/api.ts) or in a lib/<domain>/schemas.ts.
import { z } from "zod";
import { parseMonth } from "@/lib/finance/months";
import { mondayOf } from "@/lib/rollups/weeks";

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (value: unknown): value is string => typeof value === "string" && UUID.test(value);

/** "2026-W46" → its Monday ("2026-11-09"); anything else is a 400 naming the field. */
export const weekParam = z
  .string({ error: "must be an ISO week like 2026-W47" })
  .transform((label, ctx) => {
    const monday = mondayOf(label);
    if (monday) return monday;
    ctx.addIssue({ code: "custom", message: "must be an ISO week like 2026-W47" });
    return z.NEVER;
  });

/** "2026-10" → the month (label, first day, first day of the next); anything else is a 400 naming the field. */
export const monthParam = z
  .string({ error: "is required: a month as YYYY-MM, e.g. 2026-10" })
  .transform((label, ctx) => {
    const month = parseMonth(label);
    if (month) return month;
    ctx.addIssue({ code: "custom", message: "must be a month as YYYY-MM, e.g. 2026-10" });
    return z.NEVER;
  });

const notFoundNames = new WeakMap<z.ZodType, string>();

/**
 * A path segment naming one object by its UUID. A segment that is not a UUID cannot name anything, so
 * it is a 404 like an unknown id ("Release was not found."), not a 400.
 */
export function uuidParam(what: string) {
  const schema = z.string().regex(UUID);
  notFoundNames.set(schema, what);
  return schema;
}

/** A path segment naming one object by its serial number (a bigint id): anything else is a 404, as for uuidParam. */
export function serialParam(what: string) {
  const schema = z.string().regex(/^[1-9][0-9]{0,17}$/);
  notFoundNames.set(schema, what);
  return schema;
}

/** What a uuidParam schema names ("Release"), for the 404 of a malformed id; undefined for any other schema. */
export function notFoundNameOf(schema: unknown): string | undefined {
  return schema && typeof schema === "object" ? notFoundNames.get(schema as z.ZodType) : undefined;
}

/** A UUID in a body or a query: the message says what to do in the form's words. */
export const uuidField = (message: string) => z.string({ error: message }).regex(UUID, message);
