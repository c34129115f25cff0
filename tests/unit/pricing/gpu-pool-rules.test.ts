// GPU pool prices: validation, the no-overlap rule, and which pool-hours a price change re-prices.
import { describe, expect, it } from "vitest";
import { gpuPoolCreateSchema, gpuPoolUpdateSchema } from "@/lib/pricing/schemas";
import {
  candidateWindow,
  hoursWithChangedPrice,
  monthOf,
  overlapsWith,
  rangesOverlap,
  type GpuPoolRow,
} from "@/lib/pricing/gpu-pool-rules";

const d = (s: string) => new Date(s);
const row = (over: Partial<GpuPoolRow> = {}): GpuPoolRow => ({
  id: "p1",
  name: "a100",
  hourlyUsd: "3.60",
  effectiveFrom: d("2026-01-01T00:00:00Z"),
  effectiveTo: null,
  ...over,
});

describe("gpuPoolCreateSchema", () => {
  it("accepts a decimal string and normalises it", () => {
    const p = gpuPoolCreateSchema.parse({ name: " a100 ", hourlyUsd: "3.60", effectiveFrom: "2026-01-01T00:00:00Z" });
    expect(p).toEqual({ name: "a100", hourlyUsd: "3.6", effectiveFrom: d("2026-01-01T00:00:00Z"), effectiveTo: null });
    expect(gpuPoolCreateSchema.parse({ name: "x", hourlyUsd: "0", effectiveFrom: "2026-01-01T00:00:00Z" }).hourlyUsd).toBe("0");
  });

  it.each([
    [3.6, /decimal string/],
    ["-0.01", /negative/],
    ["1e10", /at most/],
    ["0x10", /not a decimal/],
    [undefined, /required/],
  ])("refuses hourlyUsd %j", (hourlyUsd, message) => {
    const r = gpuPoolCreateSchema.safeParse({ name: "a100", hourlyUsd, effectiveFrom: "2026-01-01T00:00:00Z" });
    expect(r.success).toBe(false);
    const issue = r.error!.issues.find((i) => i.path[0] === "hourlyUsd");
    expect(issue?.message).toMatch(message);
  });

  it("refuses an end before the start, unknown fields and dates without a zone", () => {
    expect(gpuPoolCreateSchema.safeParse({ name: "a", hourlyUsd: "1", effectiveFrom: "2026-02-01T00:00:00Z", effectiveTo: "2026-02-01T00:00:00Z" }).success).toBe(false);
    expect(gpuPoolCreateSchema.safeParse({ name: "a", hourlyUsd: "1", effectiveFrom: "2026-02-01T00:00:00Z", price: 1 }).success).toBe(false);
    expect(gpuPoolCreateSchema.safeParse({ name: "a", hourlyUsd: "1", effectiveFrom: "2026-02-01T00:00:00" }).success).toBe(false);
  });

  it("an update needs at least one field; effectiveTo null reopens the range", () => {
    expect(gpuPoolUpdateSchema.safeParse({}).success).toBe(false);
    expect(gpuPoolUpdateSchema.parse({ effectiveTo: null })).toEqual({ effectiveTo: null });
  });
});

describe("overlaps", () => {
  it("treats ranges as half-open and null as open-ended", () => {
    const jan = { effectiveFrom: d("2026-01-01T00:00:00Z"), effectiveTo: d("2026-02-01T00:00:00Z") };
    const feb = { effectiveFrom: d("2026-02-01T00:00:00Z"), effectiveTo: null };
    expect(rangesOverlap(jan, feb)).toBe(false);
    expect(rangesOverlap(feb, { effectiveFrom: d("2030-01-01T00:00:00Z"), effectiveTo: null })).toBe(true);
    expect(rangesOverlap(jan, { effectiveFrom: d("2025-12-31T23:00:00Z"), effectiveTo: d("2026-01-01T00:00:01Z") })).toBe(true);
  });

  it("compares only prices of the same pool, never a price with itself", () => {
    const existing = [row(), row({ id: "p2", name: "h100" })];
    expect(overlapsWith(row({ id: undefined as unknown as string }), existing).map((r) => r.id)).toEqual(["p1"]);
    expect(overlapsWith(row(), existing)).toEqual([]);
  });
});

describe("hoursWithChangedPrice", () => {
  const hours = ["2026-03-01T10:00:00Z", "2026-05-01T10:00:00Z", "2026-07-01T10:00:00Z"].map((h) => ({ pool: "a100", hour: d(h) }));

  it("a new rate re-prices every hour it governs, and only those", () => {
    const before = [row({ effectiveTo: d("2026-06-01T00:00:00Z") })];
    const after = [row({ hourlyUsd: "7.2", effectiveTo: d("2026-06-01T00:00:00Z") })];
    expect(hoursWithChangedPrice(before, after, hours).map((h) => h.hour.toISOString().slice(0, 7))).toEqual(["2026-03", "2026-05"]);
  });

  it("the same rate written differently changes nothing", () => {
    expect(hoursWithChangedPrice([row({ hourlyUsd: "3.6" })], [row({ hourlyUsd: "3.600" })], hours)).toEqual([]);
  });

  it("ending a price and starting its successor at the same rate changes nothing; at another rate, only the later hours", () => {
    const before = [row()];
    const same = [row({ effectiveTo: d("2026-04-01T00:00:00Z") }), row({ id: "p2", effectiveFrom: d("2026-04-01T00:00:00Z") })];
    expect(hoursWithChangedPrice(before, same, hours)).toEqual([]);
    const dearer = [row({ effectiveTo: d("2026-04-01T00:00:00Z") }), row({ id: "p2", hourlyUsd: "4", effectiveFrom: d("2026-04-01T00:00:00Z") })];
    expect(hoursWithChangedPrice(before, dearer, hours).length).toBe(2);
  });

  it("deleting a price leaves its hours unpriced, which is a change", () => {
    expect(hoursWithChangedPrice([row()], [], hours)).toHaveLength(3);
  });

  it("a price taking effect mid-hour governs from the next hour on", () => {
    const at = [{ pool: "a100", hour: d("2026-03-01T10:00:00Z") }, { pool: "a100", hour: d("2026-03-01T11:00:00Z") }];
    const after = [row({ effectiveFrom: d("2026-03-01T10:30:00Z") })];
    expect(hoursWithChangedPrice([], after, at).map((h) => h.hour.toISOString())).toEqual(["2026-03-01T11:00:00.000Z"]);
  });
});

describe("candidateWindow and monthOf", () => {
  it("covers the hour of the earliest start up to an hour past the latest end", () => {
    const w = candidateWindow([
      { effectiveFrom: d("2026-03-01T10:30:00Z"), effectiveTo: d("2026-04-01T00:30:00Z") },
      { effectiveFrom: d("2026-03-05T00:00:00Z"), effectiveTo: d("2026-03-10T00:00:00Z") },
    ]);
    expect(w).toEqual({ from: d("2026-03-01T10:00:00Z"), to: d("2026-04-01T01:30:00Z") });
    expect(candidateWindow([{ effectiveFrom: d("2026-03-01T00:00:00Z"), effectiveTo: null }])?.to).toBeNull();
    expect(candidateWindow([])).toBeNull();
  });

  it("names months in UTC", () => {
    expect(monthOf(d("2026-10-31T23:59:59Z"))).toBe("2026-10");
    expect(monthOf(d("2026-01-01T00:00:00Z"))).toBe("2026-01");
  });
});
