// Input schemas of the price book, GPU pool and overhead APIs (the GPU pool rules: lib/pricing/gpu-pool-rules.ts;
// a price entry: lib/pricing/price-entry.ts, checked by parseEntryInput with its per-field errors).
import { z } from "zod";
import { uuidParam } from "@/lib/http/params";
import { normaliseDate } from "@/lib/pricing/price-book";
import { labelled } from "@/lib/http/validation";
import { MAX_HOURLY_USD } from "@/lib/pricing/gpu-pool-rules";
import { MAX_PERCENT } from "@/lib/pricing/overhead";
import { Dec, toDecimalString } from "@/lib/pricing/price-entry";

const flag = (name: string) => z.enum(["0", "1", "true", "false"], { message: `${name} must be 1 or 0` }).optional().transform((v) => v === "1" || v === "true");
const dryRun = z.boolean({ message: "dryRun must be true or false" }).optional().transform((v) => v === true);

/** GET /prices ?history=1 adds retired versions. */
export const listPricesQuery = z.object({ history: flag("history") });
/** DELETE /prices/[id] ?dryRun=1 only says what retiring would re-price. */
export const retirePriceQuery = z.object({ dryRun: flag("dryRun") });
/** POST /prices and PATCH /prices/[id]: { entry, dryRun? } (the entry is checked by parseEntryInput). */
export const priceChangeSchema = z.object({ entry: z.unknown(), dryRun }).strict();

export const priceIdParams = { id: uuidParam("An active price entry with this id") };
export const gpuPoolIdParams = { id: uuidParam("GPU pool price") };

const date = z.preprocess(normaliseDate, z.iso.datetime({ offset: true, message: "must be a date (2026-03-01) or an ISO date-time" }));

/** LiteLLM's model_prices_and_context_window.json, or the built-in list prices. */
export const priceImportSchema = z.discriminatedUnion(
  "format",
  [
    z
      .object({
        format: z.literal("litellm"),
        data: z.record(z.string(), z.unknown(), { message: "data must be the parsed JSON object of model_prices_and_context_window.json" }),
        effectiveFrom: date,
        effectiveTo: date.nullish(),
        source: z.string().trim().min(1).max(300).optional(),
        dryRun,
      })
      .strict()
      .refine((b) => !b.effectiveTo || new Date(b.effectiveTo) > new Date(b.effectiveFrom), { path: ["effectiveTo"], message: "effectiveTo must be after effectiveFrom" }),
    z.object({ format: z.literal("builtin"), dryRun }).strict(),
  ],
  { message: 'format must be "litellm" or "builtin"' },
);

const utilisationInstant = (name: string) =>
  z.iso.datetime({ offset: true, error: `${name} must be an ISO 8601 date-time with a time zone, e.g. 2026-11-01T00:00:00Z` }).transform((s) => new Date(s));

/** GPU pool utilisation: ?pool=&from=&to=&limit= */
export const gpuUtilisationQuery = z
  .object({
    pool: z.string().trim().min(1).max(200).optional(),
    from: utilisationInstant("from").optional(),
    to: utilisationInstant("to").optional(),
    limit: z.coerce.number().int().min(1, "limit must be 1 to 5000").max(5000, "limit must be 1 to 5000").default(500),
  })
  .refine((q) => !q.from || !q.to || q.from < q.to, { path: ["to"], message: "to must be after from" });

const hourlyUsd = z.unknown().transform((v, ctx) => {
  if (v === undefined || v === null || v === "") {
    ctx.addIssue({ code: "custom", message: 'hourlyUsd is required, as a decimal string such as "3.60"' });
    return z.NEVER;
  }
  if (typeof v !== "string") {
    ctx.addIssue({ code: "custom", message: 'hourlyUsd must be a decimal string such as "3.60" (a JSON number can lose cents)' });
    return z.NEVER;
  }
  const r = toDecimalString(v, { max: MAX_HOURLY_USD });
  if (!r.ok) {
    ctx.addIssue({ code: "custom", message: `hourlyUsd ${r.error}` });
    return z.NEVER;
  }
  return r.value;
});

const instant = (name: string) =>
  z.iso
    .datetime({ offset: true, error: `${name} must be an ISO 8601 date-time with a time zone, e.g. 2026-01-01T00:00:00Z` })
    .transform((s) => new Date(s));

const poolName = z
  .string({ error: "name is required: the pool name that gpu events send in their pool field" })
  .trim()
  .min(1, "name is required: the pool name that gpu events send in their pool field")
  .max(200, "name must be at most 200 characters");

/** The labels of Settings → GPU & overhead's pool price forms. */
const GPU_POOL_LABELS = {
  what: "GPU pool price",
  labels: { name: "Pool name", hourlyUsd: "Hourly price (USD)", effectiveFrom: "Effective from (UTC)", effectiveTo: "Effective to (UTC)" },
};

export const gpuPoolCreateSchema = labelled(
  z
    .strictObject({
      name: poolName,
      hourlyUsd,
      effectiveFrom: instant("effectiveFrom"),
      effectiveTo: instant("effectiveTo").nullish().transform((v) => v ?? null),
    })
    .superRefine((p, ctx) => {
      if (p.effectiveTo !== null && p.effectiveTo.getTime() <= p.effectiveFrom.getTime()) {
        ctx.addIssue({ code: "custom", path: ["effectiveTo"], message: "effectiveTo must be after effectiveFrom" });
      }
    }),
  GPU_POOL_LABELS,
);

/** A change: only the fields given change; effectiveTo null makes the price open-ended. */
export const gpuPoolUpdateSchema = labelled(
  z
    .strictObject({
      name: poolName.optional(),
      hourlyUsd: hourlyUsd.optional(),
      effectiveFrom: instant("effectiveFrom").optional(),
      effectiveTo: instant("effectiveTo").nullable().optional(),
    })
    .refine((p) => Object.values(p).some((v) => v !== undefined), { message: "give at least one of name, hourlyUsd, effectiveFrom, effectiveTo" }),
  GPU_POOL_LABELS,
);

export type GpuPoolCreate = z.output<typeof gpuPoolCreateSchema>;
export type GpuPoolUpdate = z.output<typeof gpuPoolUpdateSchema>;

const percent = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const r = toDecimalString(v, { max: MAX_PERCENT });
  if (!r.ok) {
    ctx.addIssue({ code: "custom", message: `overhead percentage ${r.error.replace(/^must be at most/, "must be between 0 and")}` });
    return z.NEVER;
  }
  return r.value;
});

/** PUT /api/v1/settings/overhead, and the stored "overhead" setting: a percentage globally and per feature. */
export const overheadConfigSchema = labelled(
  z.object({
    globalPercent: percent.nullish().transform((v) => v ?? null),
    perFeature: z.record(z.string().min(1), percent).default({}),
  }),
  { what: "overhead setting", labels: { globalPercent: "Global overhead (%)" } },
);
export type OverheadConfigInput = z.input<typeof overheadConfigSchema>;
export type OverheadConfig = z.output<typeof overheadConfigSchema>;

const percentOff = z.union([z.number(), z.string()], { message: "percentOff must be a decimal number, e.g. 20 or \"12.5\"" }).transform((v, ctx) => {
  const r = toDecimalString(v, { max: new Dec(100) });
  if (!r.ok) {
    ctx.addIssue({ code: "custom", message: `percentOff ${r.error}` });
    return z.NEVER;
  }
  const d = new Dec(r.value);
  if (d.lte(0) || d.gte(100)) {
    ctx.addIssue({ code: "custom", message: "percentOff must be above 0 and below 100" });
    return z.NEVER;
  }
  return r.value;
});

/** A contract: a percentage off list price for a provider (model omitted or null: all its models) over a date range. */
export const contractSchema = z
  .object({
    provider: z.string({ message: "provider is required" }).trim().min(1, "provider is required").max(200),
    model: z.string().trim().min(1, "model must not be empty (omit it for the whole provider)").max(300).nullish().transform((v) => v ?? null),
    percentOff,
    effectiveFrom: date,
    effectiveTo: date.nullish().transform((v) => v ?? null),
    note: z.string().trim().max(1000).optional().transform((v) => v ?? ""),
  })
  .strict()
  .refine((c) => !c.effectiveTo || new Date(c.effectiveTo) > new Date(c.effectiveFrom), { path: ["effectiveTo"], message: "effectiveTo must be after effectiveFrom" });

/** POST /contracts: { contract, dryRun? }; its messages name the fields of Settings → Prices' contract form. */
export const contractChangeSchema = labelled(z.object({ contract: contractSchema, dryRun }).strict(), {
  what: "contract",
  labels: {
    "contract.provider": "Provider",
    "contract.model": "Model",
    "contract.percentOff": "Discount %",
    "contract.effectiveFrom": "From",
    "contract.effectiveTo": "To",
    "contract.note": "Note",
  },
});
/** GET /contracts ?history=1 adds retired contracts. */
export const listContractsQuery = z.object({ history: flag("history") });
/** DELETE /contracts/[id] ?dryRun=1 only says what retiring would re-price. */
export const retireContractQuery = z.object({ dryRun: flag("dryRun") });
export const contractIdParams = { id: uuidParam("An active contract with this id") };
