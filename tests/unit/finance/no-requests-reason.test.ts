import { describe, expect, it } from "vitest";
import { NO_REQUESTS_REASON, noRequestsReason } from "@/lib/finance/monthly";

const row = (requests: number, directCost: string, gpuCost: string, overheadCost: string) => ({ requests, directCost, gpuCost, overheadCost });

describe("noRequestsReason", () => {
  it("is null for a row with requests, or without any cost", () => {
    expect(noRequestsReason(row(3, "1.5", "0.2", "0.1"))).toBeNull();
    expect(noRequestsReason(row(0, "0", "0", "0"))).toBeNull();
  });

  it("names a GPU share, cost of events counted elsewhere, and overhead alone", () => {
    expect(noRequestsReason(row(0, "0", "0.0042", "0.00042"))).toBe("gpu");
    expect(noRequestsReason(row(0, "0.3", "0.0042", "0"))).toBe("elsewhere");
    expect(noRequestsReason(row(0, "-0.01", "0", "0"))).toBe("elsewhere");
    expect(noRequestsReason(row(0, "0", "0", "0.5"))).toBe("overhead");
    expect(NO_REQUESTS_REASON.gpu).toMatch(/^GPU share, not requests of its own/);
  });
});
