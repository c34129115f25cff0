// `cost-review whatif`: the body it sends from its flags, and its usage errors (exit 2) before any call.
import { describe, expect, it } from "vitest";
import { scenarioBody } from "@/cli/whatif";
import { AppError } from "@/lib/errors";

const usageError = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return e instanceof AppError && e.status === 2 ? e.message : `not a usage error: ${String(e)}`;
  }
  return "no error";
};

describe("cost-review whatif", () => {
  it("builds the scenario from its flags, each --candidate a JSON object", () => {
    expect(scenarioBody({ endpoint: "chat.answer", from: "2016-03-07", to: "2016-03-13", growth: "2", customer: "acme", candidates: ['{"serviceTier":"batch"}'] })).toEqual({
      endpoint: "chat.answer",
      from: "2016-03-07",
      to: "2016-03-13",
      growth: "2",
      customerId: "acme",
      candidates: [{ serviceTier: "batch" }],
    });
  });
  it("says what is missing or malformed", () => {
    expect(usageError(() => scenarioBody({ candidates: ["{}"] }))).toMatch(/--endpoint/);
    expect(usageError(() => scenarioBody({ endpoint: "x", candidates: [] }))).toMatch(/at least one --candidate/);
    expect(usageError(() => scenarioBody({ endpoint: "x", candidates: ["{nope"] }))).toMatch(/--candidate 1 is not JSON/);
    expect(usageError(() => scenarioBody({ scenario: "/no/such/file.json", candidates: [] }))).toMatch(/cannot read --scenario/);
  });
});
