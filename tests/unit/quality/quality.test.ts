// Quality rows (validation, exact successes and rates, CSV reading) and the runs of hot hours that open incidents.
import Decimal from "decimal.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sustainedRuns, type IncidentHour } from "@/lib/incidents/detect";
import { parseQualityCsv, parseQualityRow } from "@/lib/quality/quality-row";
import { breachOf, marginOf, targetFor, type TargetRow } from "@/lib/targets/targets";

describe("a quality row", () => {
  it("derives successes from a rate and the rate from successes, exactly", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000 }), fc.integer({ min: 0, max: 100_000 }), (samples, k) => {
        const successes = k % (samples + 1);
        const r = parseQualityRow({ day: "2026-03-02", endpoint: "a.b", metric: "task_success", successes, samples }, 0);
        expect(r.ok).toBe(true);
        if (!r.ok) return;
        expect(new Decimal(r.row.successes).equals(successes)).toBe(true);
        expect(new Decimal(r.row.value).equals(new Decimal(successes).div(samples).toDecimalPlaces(12))).toBe(true);
      }),
    );
    const v = parseQualityRow({ day: "2026-03-02", endpoint: "a.b", metric: "thumbs_up", value: "0.125", samples: 8 }, 0);
    expect(v.ok && v.row.successes).toBe("1");
  });

  it("names every bad field", () => {
    const r = parseQualityRow({ day: "2026-02-30", endpoint: "", metric: "Bad Name", value: "1.2", samples: 0, extra: 1 }, 7);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => e.path).sort()).toEqual(["rows.7.day", "rows.7.endpoint", "rows.7.extra", "rows.7.metric", "rows.7.samples", "rows.7.value"]);
    const both = parseQualityRow({ day: "2026-03-02", endpoint: "a", metric: "m", value: "0.5", successes: 1, samples: 2 }, 0);
    expect(!both.ok && both.errors[0]!.message).toMatch(/not both/);
    const over = parseQualityRow({ day: "2026-03-02", endpoint: "a", metric: "m", successes: 3, samples: 2 }, 0);
    expect(!over.ok && over.errors[0]!.path).toBe("rows.0.successes");
  });

  it("reads a CSV with its line numbers and refuses an unknown column", () => {
    const csv = parseQualityCsv("Day,endpoint,metric,value,samples\n2026-03-02,a,m,0.5,10\n\n2026-03-03,a,m,0.6,10\n");
    expect(csv.fileError).toBeNull();
    expect(csv.rows).toEqual([
      { day: "2026-03-02", endpoint: "a", metric: "m", value: "0.5", samples: "10" },
      { day: "2026-03-03", endpoint: "a", metric: "m", value: "0.6", samples: "10" },
    ]);
    expect(csv.lines).toEqual([2, 4]);
    expect(parseQualityCsv("day,endpoint,metric,score,samples\n").fileError).toMatch(/unknown column "score"/);
  });
});

describe("targets", () => {
  const rows: TargetRow[] = [
    { endpoint: "e", cohort: null, targetCost: "0.01", ceilingCost: "0.02", revenuePerRequest: "0.05", latencyBudgetMs: null },
    { endpoint: "e", cohort: "pro", targetCost: null, ceilingCost: "0.03", revenuePerRequest: null, latencyBudgetMs: 100 },
  ];
  it("uses a cohort's own row, else the all-cohorts row, and flags over ceiling before over target", () => {
    expect(targetFor(rows, "e", "pro")!.ceilingCost).toBe("0.03");
    expect(targetFor(rows, "e", "free")!.ceilingCost).toBe("0.02");
    expect(targetFor(rows, "other", null)).toBeNull();
    const all = targetFor(rows, "e", null);
    expect(breachOf("0.01", all)).toBeNull();
    expect(breachOf("0.02", all)).toBe("target");
    expect(breachOf("0.010000000001", all)).toBe("target");
    expect(breachOf("0.020000000001", all)).toBe("ceiling");
    expect(marginOf("0.0125", all)).toBe("0.0375");
  });
});

describe("sustained runs of hot hours", () => {
  const h = (iso: string): IncidentHour => ({ hour: new Date(iso).toISOString(), requests: 20, costPerRequest: "1", baseline: "0.5" });
  it("keeps only consecutive hours at least the set duration long", () => {
    const hours = ["2026-03-09T01:00Z", "2026-03-09T03:00Z", "2026-03-09T04:00Z", "2026-03-09T05:00Z", "2026-03-09T07:00Z", "2026-03-09T08:00Z"].map(h);
    expect(sustainedRuns(hours, 3).map((r) => r.map((x) => x.hour.slice(11, 13)))).toEqual([["03", "04", "05"]]);
    expect(sustainedRuns(hours, 2)).toHaveLength(2);
    expect(sustainedRuns(hours, 1)).toHaveLength(3);
    expect(sustainedRuns([], 1)).toEqual([]);
  });
});

describe("demo quality", () => {
  it("judges every request and raises task_success when summaries move to the reasoning model in week 8", async () => {
    const { generateDemoQuality } = await import("@/lib/demo/generate-quality");
    const counts = [
      { day: "2026-01-05", endpoint: "docs.summarise", cohort: "pro", requests: 400 },
      { day: "2026-03-02", endpoint: "docs.summarise", cohort: "pro", requests: 400 },
      { day: "2026-03-02", endpoint: "search.query", cohort: "pro", requests: 400 },
    ];
    const rows = generateDemoQuality(counts, "2026-01-05") as { day: string; successes: number; samples: number; metric: string }[];
    expect(rows).toHaveLength(2);
    expect(rows.every((r) => r.samples === 400 && r.metric === "task_success")).toBe(true);
    // 2026-03-02 is eight weeks after 2026-01-05.
    expect(rows[1]!.successes / 400).toBeGreaterThan(rows[0]!.successes / 400 + 0.06);
  });
});
