// GPU pool-hour allocation: full hourly cost spread by gpuSeconds, shares that add up exactly, unpriced pools.
import DecimalJs from "decimal.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { allocateGpu, distributeExactly, type GpuPool, type GpuUsageRow } from "@/lib/pricing/allocate-gpu";

const Decimal = DecimalJs.clone({ precision: 200 });
const h10 = new Date("2025-06-01T10:00:00Z");
const h11 = new Date("2025-06-01T11:00:00Z");
const pool = (over: Partial<GpuPool> = {}): GpuPool => ({
  name: "a100",
  hourlyUsd: "3.60",
  effectiveFrom: new Date("2025-01-01T00:00:00Z"),
  effectiveTo: null,
  ...over,
});
const row = (requestId: string, gpuSeconds: number | null, over: Partial<GpuUsageRow> = {}): GpuUsageRow => ({
  pool: "a100",
  hour: h10,
  requestId,
  gpuSeconds,
  ...over,
});
const shareOf = (r: ReturnType<typeof allocateGpu>, requestId: string, hour = h10) =>
  r.shares.find((s) => s.requestId === requestId && s.hour.getTime() === hour.getTime())?.costUsd;
const sumOf = (xs: (string | null)[]) => xs.reduce((a, x) => a.plus(x ?? "0"), new Decimal(0));

describe("allocateGpu", () => {
  it("spreads a $3.60 hour over 360 s and 720 s as $1.20 and $2.40, at 30% utilisation", () => {
    const r = allocateGpu([pool()], [row("r1", 360), row("r2", 720)]);
    expect(shareOf(r, "r1")).toBe("1.2");
    expect(shareOf(r, "r2")).toBe("2.4");
    expect(r.hours).toEqual([
      { pool: "a100", hour: h10, requestCount: 2, split: "proportional", utilisation: 0.3, status: "priced", costUsd: "3.6" },
    ]);
  });

  it("charges the same work more in an idle hour than in a busy one", () => {
    const busy = allocateGpu([pool()], [row("r1", 360), row("r2", 720), row("r3", 1800)]);
    const idle = allocateGpu([pool()], [row("r1", 360)]);
    expect(shareOf(idle, "r1")).toBe("3.6");
    expect(new Decimal(shareOf(idle, "r1") ?? "0").gt(shareOf(busy, "r1") ?? "0")).toBe(true);
    expect(idle.hours[0]?.utilisation).toBe(0.1);
  });

  it("splits $1/hour over 3 requests into 1e-12 quanta that add up to exactly $1", () => {
    const r = allocateGpu([pool({ hourlyUsd: "1" })], [row("a", 1), row("b", 1), row("c", 1)]);
    const shares = r.shares.map((s) => s.costUsd);
    expect(shares).toEqual(["0.333333333334", "0.333333333333", "0.333333333333"]);
    expect(sumOf(shares).toFixed()).toBe("1");
  });

  it("splits equally, with unknown utilisation, when any row lacks gpuSeconds", () => {
    const r = allocateGpu([pool()], [row("r1", 3000), row("r2", null)]);
    expect(r.shares.map((s) => s.costUsd)).toEqual(["1.8", "1.8"]);
    expect(r.hours[0]).toMatchObject({ split: "equal", utilisation: null });
  });

  it("splits equally when every request used 0 seconds, at 0 utilisation", () => {
    const r = allocateGpu([pool()], [row("r1", 0), row("r2", 0), row("r3", 0)]);
    expect(r.shares.map((s) => s.costUsd)).toEqual(["1.2", "1.2", "1.2"]);
    expect(r.hours[0]).toMatchObject({ split: "equal", utilisation: 0 });
  });

  it("treats a negative or non-finite gpuSeconds as missing", () => {
    const r = allocateGpu([pool()], [row("r1", -5), row("r2", 100)]);
    expect(r.hours[0]?.split).toBe("equal");
    const inf = allocateGpu([pool()], [row("r1", Number.POSITIVE_INFINITY), row("r2", 100)]);
    expect(inf.hours[0]?.split).toBe("equal");
  });

  it("sums a request's several rows in the same pool-hour", () => {
    const r = allocateGpu([pool()], [row("r1", 180), row("r2", 720), row("r1", 180)]);
    expect(r.shares).toHaveLength(2);
    expect(shareOf(r, "r1")).toBe("1.2");
    expect(r.shares.find((s) => s.requestId === "r1")?.gpuSeconds).toBe(360);
  });

  it("sums fractional gpuSeconds exactly, not in floating point", () => {
    const r = allocateGpu([pool({ hourlyUsd: "0.6" })], [row("r1", 0.1), row("r1", 0.2), row("r2", 0.3)]);
    expect(r.shares.map((s) => s.costUsd)).toEqual(["0.3", "0.3"]);
  });

  it("caps utilisation at 1", () => {
    const r = allocateGpu([pool()], [row("r1", 3000), row("r2", 3000)]);
    expect(r.hours[0]?.utilisation).toBe(1);
  });

  it("floors row times to the UTC hour", () => {
    const r = allocateGpu([pool()], [row("r1", 360, { hour: new Date("2025-06-01T10:15:00Z") }), row("r2", 720, { hour: new Date("2025-06-01T10:59:59.999Z") })]);
    expect(r.hours).toHaveLength(1);
    expect(r.hours[0]?.hour.toISOString()).toBe("2025-06-01T10:00:00.000Z");
    expect(shareOf(r, "r2")).toBe("2.4");
  });

  it("keeps pools and hours apart", () => {
    const r = allocateGpu(
      [pool(), pool({ name: "h100", hourlyUsd: "8" })],
      [row("r1", 100), row("r1", 100, { hour: h11 }), row("r1", 50, { pool: "h100" }), row("r2", 150, { pool: "h100" })],
    );
    expect(r.hours.map((x) => `${x.pool}@${x.hour.toISOString()}=${x.costUsd}`)).toEqual([
      "a100@2025-06-01T10:00:00.000Z=3.6",
      "a100@2025-06-01T11:00:00.000Z=3.6",
      "h100@2025-06-01T10:00:00.000Z=8",
    ]);
    expect(r.shares.filter((s) => s.pool === "h100").map((s) => s.costUsd)).toEqual(["2", "6"]);
  });

  it("reports a pool-hour with no configured price as unpriced, not $0", () => {
    const r = allocateGpu([pool()], [row("r1", 360, { pool: "t4" })]);
    expect(r.hours[0]).toMatchObject({ pool: "t4", status: "unpriced", costUsd: null, reason: 'no price for GPU pool "t4" at 2025-06-01T10:00:00.000Z' });
    expect(r.shares[0]?.costUsd).toBeNull();
  });

  it("uses the pool price in effect at the start of each hour", () => {
    const change = h11;
    const pools = [pool({ effectiveTo: change }), pool({ hourlyUsd: "7.2", effectiveFrom: change })];
    const r = allocateGpu(pools, [row("r1", 60), row("r2", 60, { hour: h11 })]);
    expect(shareOf(r, "r1")).toBe("3.6");
    expect(shareOf(r, "r2", h11)).toBe("7.2");
    const before = allocateGpu([pool({ effectiveFrom: h11 })], [row("r1", 60)]);
    expect(before.hours[0]?.status).toBe("unpriced");
  });

  it("reports an invalid hourlyUsd as unpriced with the reason", () => {
    const r = allocateGpu([pool({ hourlyUsd: "lots" })], [row("r1", 60)]);
    expect(r.hours[0]).toMatchObject({ status: "unpriced", reason: expect.stringMatching(/hourlyUsd/) });
  });

  it("rejects rows with an invalid hour instead of throwing", () => {
    const r = allocateGpu([pool()], [row("r1", 60, { hour: new Date(Number.NaN) }), row("r2", 60)]);
    expect(r.rejected).toHaveLength(1);
    expect(r.shares.map((s) => s.requestId)).toEqual(["r2"]);
  });

  it("always gives shares that sum exactly to the hour's cost", () => {
    const hourly = fc
      .tuple(fc.bigInt({ min: 0n, max: 10n ** 12n }), fc.integer({ min: 0, max: 20 }))
      .map(([n, dp]) => new Decimal(n.toString()).dividedBy(new Decimal(10).pow(dp)).toFixed());
    const seconds = fc.oneof(fc.constant(null), fc.constant(0), fc.integer({ min: 0, max: 7200 }), fc.double({ min: 0, max: 3600, noNaN: true }));
    const rows = fc.array(
      fc.record({
        pool: fc.constantFrom("a", "b"),
        hour: fc.constantFrom(h10, h11),
        requestId: fc.constantFrom("r1", "r2", "r3", "r4", "r5", "r6", "r7"),
        gpuSeconds: seconds,
      }),
      { minLength: 1, maxLength: 40 },
    );
    fc.assert(
      fc.property(hourly, hourly, rows, (ha, hb, rs) => {
        const pools = [pool({ name: "a", hourlyUsd: ha }), pool({ name: "b", hourlyUsd: hb })];
        const r = allocateGpu(pools, rs);
        for (const hour of r.hours) {
          const parts = r.shares.filter((s) => s.pool === hour.pool && s.hour.getTime() === hour.hour.getTime());
          expect(parts).toHaveLength(hour.requestCount);
          if (hour.status === "unpriced") {
            expect(hour.reason).toMatch(/at most/);
            expect(parts.every((p) => p.costUsd === null)).toBe(true);
            continue;
          }
          expect(sumOf(parts.map((p) => p.costUsd)).eq(hour.costUsd)).toBe(true);
          expect(parts.every((p) => !new Decimal(p.costUsd ?? "0").isNegative())).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe("distributeExactly", () => {
  it("conserves the total for any weights", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 15n }),
        fc.array(fc.oneof(fc.constant(0), fc.double({ min: 0, max: 1e6, noNaN: true })), { minLength: 1, maxLength: 30 }),
        (cents, weights) => {
          const total = new Decimal(cents.toString()).dividedBy(100).toFixed();
          const parts = distributeExactly(total, weights.map(String));
          expect(parts).toHaveLength(weights.length);
          expect(sumOf(parts).eq(total)).toBe(true);
          expect(parts.every((p) => new Decimal(p).decimalPlaces() <= 12)).toBe(true);
        },
      ),
    );
  });

  it("refuses negative totals and non-finite or negative weights", () => {
    expect(() => distributeExactly("-1", [1, 1])).toThrow(RangeError);
    expect(() => distributeExactly("1", [1, Number.NaN])).toThrow(RangeError);
    expect(() => distributeExactly("1", [1, -1])).toThrow(RangeError);
  });

  it("uses a finer quantum when the total itself has more than 12 decimals", () => {
    const parts = distributeExactly("0.00000000000001", [1, 1, 1]);
    expect(sumOf(parts).toFixed()).toBe("0.00000000000001");
  });
});
