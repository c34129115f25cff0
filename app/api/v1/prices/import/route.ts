// Price imports (admins): LiteLLM's model_prices_and_context_window.json, or the built-in list prices
// missing from the price book. Entries equal to an active one are skipped; the rest are added and the
// affected events re-priced, or, with "dryRun": true, only reported.
import { z } from "zod";
import { jsonBody, route } from "@/lib/auth/api";
import { actorOf } from "@/lib/auth/principal";
import { badRequest, fieldErrors } from "@/lib/errors";
import { importLiteLlmPrices, loadBuiltInPrices, normaliseDate } from "@/lib/pricing/price-book";

export const dynamic = "force-dynamic";

const date = z.preprocess(normaliseDate, z.iso.datetime({ offset: true, message: "must be a date (2026-03-01) or an ISO date-time" }));
const dryRun = z.boolean({ message: "dryRun must be true or false" }).optional();

const body = z.discriminatedUnion(
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

export const POST = route({ permission: "prices.manage" }, async ({ req, principal }) => {
  const parsed = body.safeParse(await jsonBody(req));
  if (!parsed.success) throw badRequest("The import request is not valid.", fieldErrors(parsed.error.issues));
  const b = parsed.data;
  const opts = { dryRun: b.dryRun === true, actor: actorOf(principal) };
  const result =
    b.format === "builtin"
      ? await loadBuiltInPrices(opts)
      : await importLiteLlmPrices(
          { data: b.data, effectiveFrom: new Date(b.effectiveFrom), effectiveTo: b.effectiveTo ? new Date(b.effectiveTo) : null, source: b.source },
          opts,
        );
  return Response.json(result, { status: opts.dryRun || result.created.length === 0 ? 200 : 201 });
});
