// Input schemas of the customer APIs and pages: the month's customer list, a customer's edit, revenue rows.
import { z } from "zod";
import { monthParam } from "@/lib/http/params";
import { labelled } from "@/lib/http/validation";
import { money, usd } from "@/lib/finance/schemas";
import { storableText } from "@/lib/ingest/event-schema";

export const CUSTOMER_SORTS = ["cost", "margin", "requests", "costPerRequest"] as const;
export type CustomerSort = (typeof CUSTOMER_SORTS)[number];

/** A customer id as events send it: trimmed, 1–200 characters (the event tag's rule). */
export const customerIdValue = z
  .string({ error: "must be a customer id (text)" })
  .trim()
  .min(1, "must not be empty")
  .max(200, "must be at most 200 characters")
  .refine(storableText, "must not contain NUL characters or unpaired UTF-16 surrogates");

/** ?month=YYYY-MM&q=text&sort=cost|margin|requests|costPerRequest&page=1&pageSize=50&underWater=1 */
export const customerListQuery = z.object({
  month: monthParam,
  q: z.string().trim().max(200, "q must be at most 200 characters").optional(),
  sort: z.enum(CUSTOMER_SORTS, { message: `sort must be one of ${CUSTOMER_SORTS.join(", ")}` }).default("cost"),
  page: z.coerce.number({ message: "page must be a whole number from 1" }).int("page must be a whole number from 1").min(1, "page must be a whole number from 1").max(100_000).default(1),
  pageSize: z.coerce.number({ message: "pageSize must be a whole number from 1 to 500" }).int().min(1).max(500, "pageSize must be at most 500").default(50),
  underWater: z.enum(["0", "1"], { message: "underWater must be 0 or 1" }).optional().transform((v) => v === "1"),
});
export type CustomerListQuery = z.output<typeof customerListQuery>;

/** ?month=YYYY-MM */
export const customerMonthQuery = z.object({ month: monthParam });

export const customerPathParams = { id: customerIdValue };

export const customerPatchSchema = labelled(
  z.strictObject({
    name: z.string().trim().max(200, "name must be at most 200 characters").nullable().optional(),
    plan: z.string().trim().max(200, "plan must be at most 200 characters").nullable().optional(),
    attributes: z
      .record(z.string().max(100, "attribute names must be at most 100 characters"), z.union([z.string().max(500), z.number(), z.boolean(), z.null()]), {
        error: "attributes must be an object of text, number or true/false values",
      })
      .refine((a) => Object.keys(a).length <= 50, "attributes may hold at most 50 keys")
      .optional(),
  }),
  { what: "customer" },
);
export type CustomerPatch = z.output<typeof customerPatchSchema>;

export const revenueRowSchema = z.object({
  month: monthParam,
  customerId: customerIdValue,
  /** Absent or empty: the customer's whole revenue for the month. */
  feature: z.string().trim().max(200, "feature must be at most 200 characters").optional().default(""),
  amountUsd: money,
});

export const revenueUploadSchema = labelled(
  z.object({
    rows: z.array(revenueRowSchema, { error: "rows must be an array of revenue rows" }).min(1, "rows must hold at least one revenue row").max(50_000, "rows may hold at most 50,000 revenue rows per upload"),
  }),
  { what: "revenue rows", plural: true },
);
export type RevenueUpload = z.output<typeof revenueUploadSchema>;

/** A plan's name as customers carry it (their cohort or the plan set by hand). */
const planName = z.string({ error: "plan must be text" }).trim().min(1, "plan must not be empty").max(200, "plan must be at most 200 characters").refine(storableText, "plan must not contain NUL characters or unpaired UTF-16 surrogates");

/** PUT /api/v1/plan-revenue-rates { rates: [{ plan, revenuePerRequest (null: remove the assumption) }] } */
export const planRatesSchema = labelled(
  z.object({
    rates: z
      .array(z.strictObject({ plan: planName, revenuePerRequest: usd("revenuePerRequest").nullable() }), { error: "rates must be an array of { plan, revenuePerRequest }" })
      .min(1, "rates must hold at least one plan")
      .max(500, "rates may hold at most 500 plans"),
  }),
  { what: "plan revenue rates", plural: true },
);
export type PlanRatesInput = z.output<typeof planRatesSchema>;
