// Picks the price entry that applies to a provider/model at a moment in time, or null so the event stays unpriced.
//
// Precedence, most trusted first:
//   1. an exact `model` match on the name as sent;
//   2. an exact `model` match on a normalised name: leading provider path stripped ("openai/gpt-4o",
//      "models/gemini-2.5-pro" -> everything up to the last "/"), then a trailing date stripped
//      ("-20250929", "@20250929", "-2024-08-06"), then both;
//   3. a `modelPattern` match on the name as sent, then on the normalised names in the same order.
// Every exact match beats every pattern match: a catch-all pattern such as "*" must never shadow the
// exact price of a dated snapshot. Someone who wants a dated snapshot priced differently (gpt-4o-2024-05-13
// cost more than gpt-4o) adds an exact entry for it, which wins at step 1.
// Within one step: the longest literal prefix (text before the first "*") wins among patterns, then the
// highest version, then the latest effectiveFrom, then the earlier position in `entries`, so the result is
// deterministic whatever order the database returns.
import type { PriceEntry } from "@/lib/pricing/price-entry";

const DATE_SUFFIX = /[-@](\d{8}|\d{4}-\d{2}-\d{2})$/;

/** Name variants to try after the exact name, in order, without duplicates or empties. */
export function modelNameVariants(model: string): string[] {
  const slash = model.lastIndexOf("/");
  const unprefixed = slash >= 0 ? model.slice(slash + 1) : model;
  const undated = model.replace(DATE_SUFFIX, "");
  const bare = unprefixed.replace(DATE_SUFFIX, "");
  const out: string[] = [];
  for (const v of [model, unprefixed, undated, bare]) if (v.length > 0 && !out.includes(v)) out.push(v);
  return out;
}

export function literalPrefixLength(pattern: string): number {
  const star = pattern.indexOf("*");
  return star < 0 ? pattern.length : star;
}

const regexCache = new Map<string, RegExp>();
/** `*` matches any run of characters (including none); everything else is literal. */
export function globMatches(pattern: string, name: string): boolean {
  let re = regexCache.get(pattern);
  if (!re) {
    re = new RegExp(`^${pattern.split("*").map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`, "s");
    if (regexCache.size > 1000) regexCache.clear();
    regexCache.set(pattern, re);
  }
  return re.test(name);
}

export function isInEffect(entry: Pick<PriceEntry, "effectiveFrom" | "effectiveTo">, at: Date): boolean {
  const t = at.getTime();
  return entry.effectiveFrom.getTime() <= t && (entry.effectiveTo === null || t < entry.effectiveTo.getTime());
}

type Candidate = { entry: PriceEntry; index: number };

/** Negative when a should be preferred over b. */
function compareCandidates(a: Candidate, b: Candidate): number {
  const pa = a.entry.modelPattern === null ? 0 : literalPrefixLength(a.entry.modelPattern);
  const pb = b.entry.modelPattern === null ? 0 : literalPrefixLength(b.entry.modelPattern);
  if (pa !== pb) return pb - pa;
  if (a.entry.version !== b.entry.version) return b.entry.version - a.entry.version;
  const fa = a.entry.effectiveFrom.getTime();
  const fb = b.entry.effectiveFrom.getTime();
  if (fa !== fb) return fb - fa;
  return a.index - b.index;
}

export function matchPrice(entries: readonly PriceEntry[], provider: string, model: string, at: Date): PriceEntry | null {
  if (Number.isNaN(at.getTime())) return null;
  const p = provider.trim().toLowerCase();
  for (const tier of tiersFor(entries, p, model)) {
    for (const c of tier) if (isInEffect(c.entry, at)) return c.entry;
  }
  return null;
}

/**
 * The candidates for a provider and model, whatever their dates, as tiers in the order they are tried:
 * exact names (each name variant in turn), then patterns (each variant in turn), each tier sorted by
 * preference. The first entry in effect in the first tier that has one is the match, which is the same
 * as picking the best in-effect entry tier by tier, since the preference order does not depend on the date.
 * Memoised per entry list: ingest prices many events against one list.
 */
function tiersFor(entries: readonly PriceEntry[], provider: string, model: string): Candidate[][] {
  let memo = tierMemo.get(entries);
  if (!memo || memo.length !== entries.length) {
    memo = { length: entries.length, tiers: new Map() };
    tierMemo.set(entries, memo);
  }
  const key = `${provider}\u0000${model}`;
  let tiers = memo.tiers.get(key);
  if (!tiers) {
    const all: Candidate[] = [];
    entries.forEach((entry, index) => {
      if (entry.provider.toLowerCase() === provider) all.push({ entry, index });
    });
    const names = modelNameVariants(model);
    const sorted = (cs: Candidate[]) => cs.sort(compareCandidates);
    tiers = [
      ...names.map((name) => sorted(all.filter((c) => c.entry.model === name))),
      ...names.map((name) => sorted(all.filter((c) => c.entry.modelPattern !== null && globMatches(c.entry.modelPattern, name)))),
    ].filter((t) => t.length > 0);
    if (memo.tiers.size < 10_000) memo.tiers.set(key, tiers);
  }
  return tiers;
}

const tierMemo = new WeakMap<readonly PriceEntry[], { length: number; tiers: Map<string, Candidate[][]> }>();
