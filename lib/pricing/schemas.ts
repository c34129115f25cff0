// Input schemas of the price book and GPU pool API (the GPU pool price itself: lib/pricing/gpu-pool-rules.ts;
// a price entry: lib/pricing/price-entry.ts, checked by parseEntryInput with its per-field errors).
import { z } from "zod";
import { uuidParam } from "@/lib/http/params";
import { normaliseDate } from "@/lib/pricing/price-book";

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
