// The built-in catalogue of vendor list prices, so a fresh install can estimate common models before anyone configures prices.
//
// Decisions:
// - OpenAI and Google do not bill cache writes separately (a write is ordinary input), so their
//   cacheWrite and cacheWrite1h rates equal the input rate. Anthropic bills 5-minute writes at 1.25× input,
//   1-hour writes at 2× input and reads at 0.1× input.
// - Embedding models carry output "0" and no cache rates: they bill input tokens only.
// - reasoning and tool output are left unset so they resolve to the output rate.
// - Google entries use provider "google"; Gemini 2.5 Pro's >200k-token prompt tier is not modelled.
// - Ids are derived ("builtin:openai/gpt-4o@v1") so they are stable across releases and never collide
//   with database ids.
// - The JSON is validated once, on first use; an invalid catalogue is a release bug and throws.
import raw from "@/lib/pricing/catalogue.json";
import { z } from "zod";
import { priceEntrySchema, type PriceEntry } from "@/lib/pricing/price-entry";

let cached: PriceEntry[] | null = null;

function load(): PriceEntry[] {
  const parsed = z.array(priceEntrySchema).safeParse(raw);
  if (!parsed.success) {
    throw new Error(`built-in price catalogue is invalid: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  }
  return parsed.data.map((e) => ({ ...e, id: `builtin:${e.provider}/${e.model ?? e.modelPattern ?? ""}@v${e.version}` }));
}

/** A fresh copy on every call, so callers may mutate what they get without changing the catalogue. */
export function builtInCatalogue(): PriceEntry[] {
  cached ??= load();
  return cached.map((e) => ({
    ...e,
    effectiveFrom: new Date(e.effectiveFrom.getTime()),
    effectiveTo: e.effectiveTo === null ? null : new Date(e.effectiveTo.getTime()),
  }));
}
