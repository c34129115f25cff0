// Overhead loading: a percentage added on top of direct cost (platform, support, amortised eng time), globally or per feature.
//
// Decisions:
// - Percentages are decimal strings meaning percent ("15" = 15 %, "12.5" = 12.5 %), from 0 to 1000 inclusive.
// - A feature override wins over the global percentage, including an override of "0" (that feature
//   carries no overhead). With neither configured, the overhead is "0".
// - The overhead is returned as its own exact component (direct × percent / 100), never folded into the
//   direct cost, so reports can show both.
// - Invalid input throws RangeError: configuration is validated by overheadConfigSchema (lib/pricing/schemas.ts) before it gets here,
//   and callers pass a priced direct cost (an unpriced event has no overhead to compute).
import { Dec, toDecimalString } from "@/lib/pricing/price-entry";
import type { OverheadConfig } from "@/lib/pricing/schemas";

export const MAX_PERCENT = new Dec(1000);
const MAX_DIRECT_COST = new Dec("1e15");

/** The percentage that applies to a feature, or null when none is configured. */
export function overheadPercentFor(featureSlug: string | null, config: OverheadConfig): string | null {
  if (featureSlug !== null && Object.hasOwn(config.perFeature, featureSlug)) return config.perFeature[featureSlug] ?? null;
  return config.globalPercent;
}

export function overheadFor(directCost: string, featureSlug: string | null, config: OverheadConfig): string {
  const direct = toDecimalString(directCost, { max: MAX_DIRECT_COST, maxFractionDigits: 100 });
  if (!direct.ok) throw new RangeError(`directCost ${direct.error}`);
  const pct = overheadPercentFor(featureSlug, config);
  if (pct === null) return "0";
  const p = toDecimalString(pct, { max: MAX_PERCENT });
  if (!p.ok) throw new RangeError(`overhead percentage ${p.error}`);
  return new Dec(direct.value).times(p.value).dividedBy(100).toFixed();
}
