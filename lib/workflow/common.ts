// Shared pieces of the review workflow: id, date and week parsing. (Who may act on which object,
// including who counts as an admin, is lib/auth/policies.ts; transactions are withTransaction in
// lib/db/transaction.ts.)
import { z } from "zod";
import { badRequest, fieldErrors, notFound } from "@/lib/errors";
import { mondayOf } from "@/lib/rollups/weeks";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A path id that is not a UUID cannot name anything: 404, like an unknown one. */
export function requireId(id: string | undefined, what: string): string {
  if (!id || !UUID.test(id)) throw notFound(what);
  return id;
}

export const uuidField = (what: string) => z.string({ error: `${what} is required` }).regex(UUID, `${what} must be a UUID`);

export const dateField = (what: string) =>
  z
    .string({ error: `${what} is required (YYYY-MM-DD)` })
    .regex(/^\d{4}-\d{2}-\d{2}$/, `${what} must be a date as YYYY-MM-DD`)
    .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), `${what} is not a real calendar date`);

export function parse<T>(schema: z.ZodType<T>, input: unknown, what: string): T {
  const r = schema.safeParse(input);
  if (!r.success) throw badRequest(`The ${what} is not valid: ${r.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; ")}`, fieldErrors(r.error.issues));
  return r.data;
}

/** "2026-W46" → its Monday, or a 400 naming the field. */
export function weekMonday(label: unknown, field = "week"): string {
  const monday = typeof label === "string" ? mondayOf(label) : null;
  if (!monday) throw badRequest(`'${field}' must be an ISO week like 2026-W46.`, [{ path: field, message: "must be an ISO week like 2026-W46" }]);
  return monday;
}

export const iso = (d: Date | null | undefined): string | null => (d ? d.toISOString() : null);
