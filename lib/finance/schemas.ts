// Input schemas of the finance API and pages: the monthly rollup, chargeback and reconciliation
// queries (with the download format), closing a month, invoices and the finance settings.
import { z } from "zod";
import { monthParam } from "@/lib/http/params";
import { labelled, validate } from "@/lib/http/validation";
import { CHARGEBACK_BY } from "@/lib/finance/chargeback";
import { DIMENSIONS, type Dimension, type MonthlyQuery } from "@/lib/finance/monthly";
import { tolerancePctValue } from "@/lib/settings/schemas";
import { Dec, toDecimalString } from "@/lib/pricing/price-entry";

/** ?format=: one of the formats a download offers, the first by default. */
const formatParam = <const F extends readonly [string, ...string[]]>(allowed: F) =>
  z.enum(allowed, { message: `format must be one of ${allowed.join(", ")}` }).default(allowed[0]);

const dimensionList = z
  .string()
  .transform((s) => (s.trim() === "" ? [] : s.split(",").map((d) => d.trim())))
  .pipe(z.array(z.enum(DIMENSIONS, { message: `each grouping must be one of ${DIMENSIONS.join(", ")}` })));

const monthlyShape = {
  month: monthParam,
  groupBy: dimensionList.optional(),
  ...(Object.fromEntries(DIMENSIONS.map((d) => [d, z.string().min(1, `${d} filter must not be empty`).optional()])) as Record<Dimension, z.ZodOptional<z.ZodString>>),
};

function monthlyQueryOf(data: z.output<z.ZodObject<typeof monthlyShape>>): MonthlyQuery {
  const filters: Partial<Record<Dimension, string>> = {};
  for (const d of DIMENSIONS) if (typeof data[d] === "string") filters[d] = data[d];
  return { month: data.month, groupBy: [...new Set(data.groupBy ?? (["team"] as Dimension[]))], filters };
}

/** ?month=YYYY-MM&groupBy=team,provider (default team; empty = the month's total) &<dimension>=<value> filters. */
export const monthlyQuerySchema = z.object(monthlyShape).transform(monthlyQueryOf);

/** The monthly rollup query from a page's search parameters (a 400 naming the field when one is not valid). */
export function parseMonthlyQuery(params: URLSearchParams): MonthlyQuery {
  return validate(monthlyQuerySchema, Object.fromEntries(params), "monthly rollup query");
}

/** The monthly API: the rollup query and ?format=json|csv|focus. */
export const monthlyApiQuery = z
  .object({ ...monthlyShape, format: formatParam(["json", "csv", "focus"]) })
  .transform((d) => ({ ...monthlyQueryOf(d), format: d.format }));

/** ?month=YYYY-MM&by=team|tenant&format=json|csv */
export const chargebackApiQuery = z.object({
  month: monthParam,
  by: z.enum(CHARGEBACK_BY, { message: "by must be team or tenant" }).default("team"),
  format: formatParam(["json", "csv"]),
});

/** ?month=YYYY-MM */
export const monthQuery = z.object({ month: monthParam });

export const monthPathParams = { month: monthParam };

export const monthChangeSchema = z.object({ closed: z.boolean({ message: "closed must be true (close the month) or false (reopen it)" }) });

const money = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const r = toDecimalString(v, { max: new Dec("1e15"), maxFractionDigits: 12 });
  if (!r.ok) {
    ctx.addIssue({ code: "custom", message: `amountUsd ${r.error}` });
    return z.NEVER;
  }
  return r.value;
});

export const invoicesSchema = labelled(
  z.object({
    month: monthParam,
    invoices: z
      .array(
        z.object({
          provider: z.string().trim().min(1, "provider must not be empty").max(200).transform((p) => p.toLowerCase()),
          amountUsd: money.nullable(),
          note: z.string().max(500).optional(),
        }),
      )
      .min(1, "invoices must list at least one provider"),
  }),
  { what: "invoices", plural: true },
);

export const financeSettingsSchema = labelled(z.object({ tolerancePct: tolerancePctValue }), { what: "finance settings", plural: true });

export type MonthChange = z.output<typeof monthChangeSchema>;
export type InvoicesInput = z.output<typeof invoicesSchema>;
