// Price imports (admins): LiteLLM's model_prices_and_context_window.json, or the built-in list prices
// missing from the price book. Entries equal to an active one are skipped; the rest are added and the
// affected events re-priced, or, with "dryRun": true, only reported.
import { route } from "@/lib/auth/api";
import { actorOf } from "@/lib/auth/principal";
import { importLiteLlmPrices, loadBuiltInPrices } from "@/lib/pricing/price-book";
import { priceImportSchema } from "@/lib/pricing/schemas";

export const dynamic = "force-dynamic";

export const POST = route({ permission: "prices.manage", body: priceImportSchema }, async ({ body: b, principal }) => {
  const opts = { dryRun: b.dryRun, actor: actorOf(principal) };
  const result =
    b.format === "builtin"
      ? await loadBuiltInPrices(opts)
      : await importLiteLlmPrices(
          { data: b.data, effectiveFrom: new Date(b.effectiveFrom), effectiveTo: b.effectiveTo ? new Date(b.effectiveTo) : null, source: b.source },
          opts,
        );
  return Response.json(result, { status: opts.dryRun || result.created.length === 0 ? 200 : 201 });
});
