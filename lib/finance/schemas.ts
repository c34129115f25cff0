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

/** The monthly API: the rollup query and ?format=json|csv|focus|focus-parquet (focus: the FOCUS CSV). */
export const monthlyApiQuery = z
  .object({ ...monthlyShape, format: formatParam(["json", "csv", "focus", "focus-parquet"]) })
  .transform((d) => ({ ...monthlyQueryOf(d), format: d.format }));

/** ?month=YYYY-MM&by=team|tenant&format=json|csv */
export const chargebackApiQuery = z.object({
  month: monthParam,
  by: z.enum(CHARGEBACK_BY, { message: `by must be one of ${CHARGEBACK_BY.join(", ")}` }).default("team"),
  format: formatParam(["json", "csv"]),
});

/** ?month=YYYY-MM */
export const monthQuery = z.object({ month: monthParam });

export const monthPathParams = { month: monthParam };

export const monthChangeSchema = z.object({ closed: z.boolean({ message: "closed must be true (close the month) or false (reopen it)" }) });

/** A USD amount named `name` in its messages: an exact decimal string, 0 to 10^15, at most 12 decimal places. */
export const usd = (name: string) =>
  z.union([z.string(), z.number()]).transform((v, ctx) => {
    const r = toDecimalString(v, { max: new Dec("1e15"), maxFractionDigits: 12 });
    if (!r.ok) {
      ctx.addIssue({ code: "custom", message: `${name} ${r.error}` });
      return z.NEVER;
    }
    return r.value;
  });

export const money = usd("amountUsd");

/**
 * The provider name of self-hosted models (GPU pools): its cost is the pools' own (Settings → GPU & overhead),
 * never on a provider's invoice, so an invoice for it is refused and reconciliation does not ask for one.
 */
export const SELF_HOSTED_PROVIDER = "self-hosted";

export const invoicesSchema = labelled(
  z.object({
    month: monthParam,
    invoices: z
      .array(
        z.object({
          provider: z
            .string()
            .trim()
            .min(1, "provider must not be empty")
            .max(200)
            .transform((p) => p.toLowerCase())
            .refine((p) => p !== SELF_HOSTED_PROVIDER, {
              message: `${SELF_HOSTED_PROVIDER} has no invoice: its cost is the GPU pools' (Settings → GPU & overhead), not a provider's bill`,
            }),
          amountUsd: money.nullable(),
          note: z.string().max(500).optional(),
        }),
      )
      .min(1, "invoices must list at least one provider"),
  }),
  { what: "invoices", plural: true },
);

/** ?month=YYYY-MM on an invoice upload sent as CSV (a JSON body names its month itself). */
export const invoicesQuery = z.object({ month: z.string().optional() });

export const financeSettingsSchema = labelled(z.object({ tolerancePct: tolerancePctValue }), { what: "finance settings", plural: true });

export type MonthChange = z.output<typeof monthChangeSchema>;
export type InvoicesInput = z.output<typeof invoicesSchema>;

// Provider cost reports (lib/finance/provider-costs): one response page of each provider's documented API.
const nullableText = z.string().max(500).nullish();
const unixSeconds = (field: string) => z.number({ error: `${field} must be a Unix time in seconds` }).int(`${field} must be a whole number of seconds`).min(0).max(253402300799);
const rfc3339 = (field: string) =>
  z.string({ error: `${field} must be an RFC 3339 date-time` }).refine((s) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(s) && !Number.isNaN(Date.parse(s)), {
    message: `${field} must be an RFC 3339 date-time, e.g. 2026-10-01T00:00:00Z`,
  });

/** OpenAI `GET /v1/organization/costs`: a page of 1-day buckets; `amount.value` is a JSON number in `currency`. */
export const openAiCostsPageSchema = z.object({
  object: z.literal("page", { message: 'object must be "page"' }).optional(),
  data: z
    .array(
      z.object({
        object: z.literal("bucket", { message: 'object must be "bucket"' }).optional(),
        start_time: unixSeconds("start_time"),
        end_time: unixSeconds("end_time"),
        results: z.array(
          z.object({
            object: z.literal("organization.costs.result", { message: 'object must be "organization.costs.result"' }).optional(),
            amount: z.object(
              { value: z.union([z.number(), z.string()], { error: "amount.value must be a decimal number" }), currency: z.string({ error: "amount.currency must be a currency code" }) },
              { error: "amount must be an object with value and currency" },
            ),
            line_item: nullableText,
            project_id: nullableText,
          }),
          { error: "results must be an array" },
        ),
      }),
      { error: "data must be an array of buckets" },
    )
    .max(1000),
  has_more: z.boolean({ error: "has_more must be true or false" }),
  next_page: z.string().max(2000).nullish(),
});

/** Anthropic `GET /v1/organizations/cost_report`: a page of 1-day buckets; `amount` is a decimal string in cents. */
export const anthropicCostReportPageSchema = z.object({
  data: z
    .array(
      z.object({
        starting_at: rfc3339("starting_at"),
        ending_at: rfc3339("ending_at"),
        results: z.array(
          z.object({
            amount: z.string({ error: "amount must be a decimal string (the lowest currency unit, cents for USD)" }),
            currency: z.string().default("USD"),
            cost_type: nullableText,
            model: nullableText,
            token_type: nullableText,
            service_tier: nullableText,
            context_window: nullableText,
            workspace_id: nullableText,
            description: nullableText,
          }),
          { error: "results must be an array" },
        ),
      }),
      { error: "data must be an array of buckets" },
    )
    .max(1000),
  has_more: z.boolean({ error: "has_more must be true or false" }),
  next_page: z.string().max(2000).nullish(),
});

export const PROVIDER_REPORTS = ["openai", "anthropic"] as const;
const reportProvider = z.enum(PROVIDER_REPORTS, { message: "provider must be openai or anthropic" });

/** POST /api/v1/finance/provider-costs: {provider, pages: [the API's response pages, as returned]}. */
export const providerCostsImportSchema = labelled(
  z.object({
    provider: reportProvider,
    pages: z.array(z.unknown(), { error: "pages must be an array of response pages" }).min(1, "pages must hold at least one response page").max(500, "pages may hold at most 500 response pages"),
  }),
  { what: "provider cost report", plural: false },
);

const isDay = (s: unknown): s is string => {
  const t = typeof s === "string" && /^\d{4}-\d{2}-\d{2}$/.test(s) ? Date.parse(`${s}T00:00:00Z`) : Number.NaN;
  return !Number.isNaN(t) && new Date(t).toISOString().startsWith(s as string);
};
const dayParam = (field: string) =>
  z.string({ error: `${field} is required: a day as YYYY-MM-DD` }).refine(isDay, {
    message: `${field} must be a day as YYYY-MM-DD`,
  });

/** POST /api/v1/finance/provider-costs/pull: {provider, from, to}, UTC days, `to` exclusive, at most 366 days. */
export const providerCostsPullSchema = labelled(
  z
    .object({ provider: reportProvider, from: dayParam("from"), to: dayParam("to") })
    // Only between two days: a field that is not one is named by its own message.
    .refine((v) => !isDay(v.from) || !isDay(v.to) || v.from < v.to, { message: "to must be after from (to is exclusive)", path: ["to"] })
    .refine((v) => !isDay(v.from) || !isDay(v.to) || Date.parse(v.to) - Date.parse(v.from) <= 366 * 86_400_000, { message: "from … to may span at most 366 days", path: ["to"] }),
  { what: "provider cost pull", plural: false },
);

/** GET /api/v1/finance/reconciliation/daily?month=YYYY-MM&provider= */
export const dailyReconciliationQuery = z.object({ month: monthParam, provider: reportProvider.optional() });

export type OpenAiCostsPage = z.output<typeof openAiCostsPageSchema>;
export type AnthropicCostReportPage = z.output<typeof anthropicCostReportPageSchema>;
export type ReportProvider = (typeof PROVIDER_REPORTS)[number];
