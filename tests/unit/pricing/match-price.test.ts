// matchPrice: effective dating, exact-over-pattern precedence and model-name normalisation.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { globMatches, matchPrice, modelNameVariants } from "@/lib/pricing/match-price";
import { parsePriceEntry, type PriceEntry, type PriceEntryInput } from "@/lib/pricing/price-entry";

function entry(over: Partial<PriceEntryInput> & { id: string }) {
  return parsePriceEntry({
    provider: "openai",
    effectiveFrom: "2025-01-01T00:00:00Z",
    inputPerMTok: "1",
    outputPerMTok: "2",
    source: "test",
    ...(over.modelPattern ? {} : { model: "gpt-4o" }),
    ...over,
  });
}
const at = new Date("2025-06-01T12:00:00Z");

describe("matchPrice", () => {
  it("returns null when nothing matches, so the event stays unpriced", () => {
    expect(matchPrice([entry({ id: "a" })], "openai", "gpt-9", at)).toBeNull();
    expect(matchPrice([entry({ id: "a" })], "anthropic", "gpt-4o", at)).toBeNull();
    expect(matchPrice([], "openai", "gpt-4o", at)).toBeNull();
  });

  it("uses the new price exactly at its effectiveFrom and the old one a millisecond earlier", () => {
    const boundary = new Date("2025-03-01T00:00:00Z");
    const old = entry({ id: "old", effectiveTo: boundary });
    const next = entry({ id: "new", effectiveFrom: boundary, inputPerMTok: "0.5" });
    expect(matchPrice([old, next], "openai", "gpt-4o", boundary)?.id).toBe("new");
    expect(matchPrice([old, next], "openai", "gpt-4o", new Date(boundary.getTime() - 1))?.id).toBe("old");
  });

  it("treats effectiveTo as exclusive and ignores prices not yet in effect", () => {
    const e = entry({ id: "a", effectiveTo: "2025-03-01T00:00:00Z" });
    expect(matchPrice([e], "openai", "gpt-4o", new Date("2025-03-01T00:00:00Z"))).toBeNull();
    expect(matchPrice([e], "openai", "gpt-4o", new Date("2024-12-31T23:59:59.999Z"))).toBeNull();
  });

  it("prefers an exact model over a pattern, wherever they appear in the list", () => {
    const pattern = entry({ id: "pattern", modelPattern: "gpt-4o*" });
    const exact = entry({ id: "exact", version: 1 });
    expect(matchPrice([pattern, exact], "openai", "gpt-4o", at)?.id).toBe("exact");
    expect(matchPrice([exact, pattern], "openai", "gpt-4o", at)?.id).toBe("exact");
  });

  it("prefers the pattern with the longest literal prefix", () => {
    const broad = entry({ id: "broad", modelPattern: "gpt-*", version: 9 });
    const narrow = entry({ id: "narrow", modelPattern: "gpt-4o-mini-*" });
    expect(matchPrice([broad, narrow], "openai", "gpt-4o-mini-tts", at)?.id).toBe("narrow");
    expect(matchPrice([broad, narrow], "openai", "gpt-4.1", at)?.id).toBe("broad");
  });

  it("breaks ties by highest version, then latest effectiveFrom", () => {
    const v1 = entry({ id: "v1", version: 1, effectiveFrom: "2025-05-01T00:00:00Z" });
    const v2 = entry({ id: "v2", version: 2 });
    expect(matchPrice([v1, v2], "openai", "gpt-4o", at)?.id).toBe("v2");
    const older = entry({ id: "older", effectiveFrom: "2025-01-01T00:00:00Z" });
    const newer = entry({ id: "newer", effectiveFrom: "2025-04-01T00:00:00Z" });
    expect(matchPrice([older, newer], "openai", "gpt-4o", at)?.id).toBe("newer");
    expect(matchPrice([newer, older], "openai", "gpt-4o", at)?.id).toBe("newer");
  });

  it("compares providers case-insensitively but model names exactly", () => {
    const e = entry({ id: "a" });
    expect(matchPrice([e], "OpenAI", "gpt-4o", at)?.id).toBe("a");
    expect(matchPrice([e], "openai", "GPT-4o", at)).toBeNull();
  });

  it("strips a trailing date suffix when there is no exact match", () => {
    const sonnet = entry({ id: "sonnet", provider: "anthropic", model: "claude-sonnet-4-5" });
    const gpt = entry({ id: "gpt" });
    expect(matchPrice([sonnet], "anthropic", "claude-sonnet-4-5-20250929", at)?.id).toBe("sonnet");
    expect(matchPrice([sonnet], "anthropic", "claude-sonnet-4-5@20250929", at)?.id).toBe("sonnet");
    expect(matchPrice([gpt], "openai", "gpt-4o-2024-08-06", at)?.id).toBe("gpt");
  });

  it("prefers an exact entry for the dated name over the stripped name", () => {
    const dated = entry({ id: "dated", model: "gpt-4o-2024-05-13", inputPerMTok: "5" });
    const plain = entry({ id: "plain" });
    expect(matchPrice([plain, dated], "openai", "gpt-4o-2024-05-13", at)?.id).toBe("dated");
  });

  it("strips a leading provider path when there is no exact match", () => {
    const gpt = entry({ id: "gpt" });
    const gemini = entry({ id: "gemini", provider: "google", model: "gemini-2.5-pro" });
    expect(matchPrice([gpt], "openai", "openai/gpt-4o", at)?.id).toBe("gpt");
    expect(matchPrice([gpt], "openai", "openai/gpt-4o-2024-08-06", at)?.id).toBe("gpt");
    expect(matchPrice([gemini], "google", "models/gemini-2.5-pro", at)?.id).toBe("gemini");
  });

  it("prefers an exact match on the normalised name over a catch-all pattern on the raw name", () => {
    const catchAll = entry({ id: "catch-all", modelPattern: "*" });
    const gpt = entry({ id: "gpt" });
    expect(matchPrice([catchAll, gpt], "openai", "gpt-4o-2024-08-06", at)?.id).toBe("gpt");
    expect(matchPrice([catchAll, gpt], "openai", "o3", at)?.id).toBe("catch-all");
  });

  it("applies patterns to normalised names too", () => {
    const p = entry({ id: "p", modelPattern: "gpt-4o-mini*" });
    expect(matchPrice([p], "openai", "openai/gpt-4o-mini", at)?.id).toBe("p");
  });

  it("returns null for an invalid date rather than matching everything", () => {
    expect(matchPrice([entry({ id: "a" })], "openai", "gpt-4o", new Date(Number.NaN))).toBeNull();
  });
});

describe("globMatches", () => {
  it("treats only '*' as special", () => {
    expect(globMatches("gpt-4.1*", "gpt-4.1-mini")).toBe(true);
    expect(globMatches("gpt-4.1*", "gpt-4x1-mini")).toBe(false);
    expect(globMatches("a?b*", "axb")).toBe(false);
    expect(globMatches("*-mini", "gpt-4o-mini")).toBe(true);
    expect(globMatches("*-mini", "gpt-4o-mini-tts")).toBe(false);
  });
});

describe("modelNameVariants", () => {
  it("lists the name as sent first, then prefix-stripped, date-stripped and both", () => {
    expect(modelNameVariants("openai/gpt-4o-2024-08-06")).toEqual([
      "openai/gpt-4o-2024-08-06",
      "gpt-4o-2024-08-06",
      "openai/gpt-4o",
      "gpt-4o",
    ]);
    expect(modelNameVariants("gpt-3.5-turbo-0125")).toEqual(["gpt-3.5-turbo-0125"]);
  });
});

describe("matchPrice against a direct search", () => {
  // The search matchPrice memoises: filter the entries in effect, then take the best of each tier.
  function direct(entries: PriceEntry[], provider: string, model: string, at: Date): PriceEntry | null {
    const p = provider.trim().toLowerCase();
    const live = entries
      .map((entry, index) => ({ entry, index }))
      .filter(({ entry }) => entry.provider.toLowerCase() === p && entry.effectiveFrom.getTime() <= at.getTime() && (entry.effectiveTo === null || at.getTime() < entry.effectiveTo.getTime()));
    const prefix = (e: PriceEntry) => (e.modelPattern === null ? 0 : e.modelPattern.indexOf("*") < 0 ? e.modelPattern.length : e.modelPattern.indexOf("*"));
    const best = (cs: typeof live) =>
      [...cs].sort(
        (a, b) =>
          prefix(b.entry) - prefix(a.entry) ||
          b.entry.version - a.entry.version ||
          b.entry.effectiveFrom.getTime() - a.entry.effectiveFrom.getTime() ||
          a.index - b.index,
      )[0]?.entry ?? null;
    const names = modelNameVariants(model);
    for (const name of names) {
      const found = best(live.filter((c) => c.entry.model === name));
      if (found) return found;
    }
    for (const name of names) {
      const found = best(live.filter((c) => c.entry.modelPattern !== null && globMatches(c.entry.modelPattern, name)));
      if (found) return found;
    }
    return null;
  }

  it("finds the same entry for any list, name and date, also when asked again", () => {
    const day = (n: number) => new Date(Date.UTC(2025, 0, 1) + n * 86_400_000);
    const entryArb = fc.record({
      provider: fc.constantFrom("openai", "OpenAI", "anthropic"),
      name: fc.constantFrom("gpt-4o", "gpt-4o-2024-08-06", "claude-3", "gpt-*", "gpt-4o*", "*", "claude-*"),
      from: fc.integer({ min: 0, max: 30 }),
      span: fc.option(fc.integer({ min: 1, max: 30 }), { nil: null }),
      version: fc.integer({ min: 1, max: 3 }),
    });
    fc.assert(
      fc.property(
        fc.array(entryArb, { maxLength: 12 }),
        fc.array(fc.tuple(fc.constantFrom("openai", " OPENAI ", "anthropic", "google"), fc.constantFrom("gpt-4o", "gpt-4o-2024-08-06", "openai/gpt-4o", "gpt-4o-mini", "claude-3-20240229", "x"), fc.integer({ min: -2, max: 65 })), { minLength: 1, maxLength: 8 }),
        (specs, queries) => {
          const entries = specs.map((s, i) =>
            parsePriceEntry({
              id: `e${i}`,
              provider: s.provider,
              ...(s.name.includes("*") ? { modelPattern: s.name } : { model: s.name }),
              effectiveFrom: day(s.from),
              effectiveTo: s.span === null ? null : day(s.from + s.span),
              inputPerMTok: "1",
              outputPerMTok: "2",
              version: s.version,
              source: "test",
            }),
          );
          for (const [provider, model, d] of [...queries, ...queries]) {
            expect(matchPrice(entries, provider, model, day(d))?.id ?? null).toBe(direct(entries, provider, model, day(d))?.id ?? null);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
