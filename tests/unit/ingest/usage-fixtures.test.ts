// Golden fixtures: real provider usage objects must normalise to exactly the recorded canonical buckets.
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { normaliseRawUsage } from "@/lib/ingest/normalise-raw-usage";
import { USAGE_BUCKETS, totalTokens, type CanonicalUsage } from "@/lib/ingest/usage";

type Fixture = { description: string; provider: string; rawUsage: Record<string, unknown>; expected: CanonicalUsage };

const dir = fileURLToPath(new URL("../../fixtures/usage/", import.meta.url));
const fixtures = readdirSync(dir)
  .filter((f) => f.endsWith(".json"))
  .sort()
  .map((file) => ({ file, fixture: JSON.parse(readFileSync(`${dir}${file}`, "utf8")) as Fixture }));

/** The provider's own total, where its usage object carries one. */
function providerTotal(raw: Record<string, unknown>): number | undefined {
  const gemini = (raw.usageMetadata ?? raw) as Record<string, unknown>;
  const total = raw.total_tokens ?? gemini.totalTokenCount;
  return typeof total === "number" ? total : undefined;
}

describe("golden usage fixtures", () => {
  it("cover every provider shape the ingest layer accepts", () => {
    const shapes = new Set(
      fixtures.map(({ fixture }) => {
        const r = normaliseRawUsage(fixture.rawUsage);
        return r.ok ? r.shape : "error";
      }),
    );
    expect([...shapes].sort()).toEqual(["anthropic", "gemini", "openai-chat", "openai-responses"]);
  });

  for (const { file, fixture } of fixtures) {
    describe(file, () => {
      it("lists every canonical bucket in its expectation", () => {
        expect(Object.keys(fixture.expected).sort()).toEqual([...USAGE_BUCKETS].sort());
      });

      it("normalises to exactly the expected buckets, with and without the provider hint", () => {
        for (const hint of [fixture.provider, undefined]) {
          const result = normaliseRawUsage(fixture.rawUsage, hint);
          expect(result).toMatchObject({ ok: true });
          if (result.ok) expect(result.usage).toEqual(fixture.expected);
        }
      });

      const total = providerTotal(fixture.rawUsage);
      if (total !== undefined) {
        it(`sums to the provider's reported total (${total})`, () => {
          const result = normaliseRawUsage(fixture.rawUsage, fixture.provider);
          expect(result.ok && totalTokens(result.usage)).toBe(total);
        });
      }
    });
  }
});
