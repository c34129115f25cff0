// `cost-review whatif --endpoint X --candidate JSON …` (or --scenario FILE): asks the running app's what-if
// API and prints the comparison table, the actual first. Exits 0 on an answer, 1 when the app refused or
// could not be reached, 2 on a usage error.
import { readFileSync } from "node:fs";
import { AppError } from "@/lib/errors";
import type { CandidateResult, Outcome, WhatIfResult } from "@/lib/whatif/engine";
import { formatUsd } from "@/lib/format";
import { describeError, remote } from "@/cli/remote";

export type WhatIfOptions = {
  scenario?: string;
  endpoint?: string;
  cohort?: string;
  customer?: string;
  from?: string;
  to?: string;
  growth?: string;
  candidates: string[];
  json?: boolean;
  url?: string;
  key?: string;
};

const usage = (message: string) => new AppError("usage", 2, message);

/** The request body: the --scenario file, or one built from the flags (each --candidate a JSON object). */
export function scenarioBody(o: WhatIfOptions): Record<string, unknown> {
  if (o.scenario) {
    let text: string;
    try {
      text = readFileSync(o.scenario, "utf8");
    } catch (e) {
      throw usage(`cannot read --scenario ${o.scenario}: ${(e as Error).message}`);
    }
    try {
      return JSON.parse(text) as Record<string, unknown>;
    } catch (e) {
      throw usage(`--scenario ${o.scenario} is not JSON: ${(e as Error).message}`);
    }
  }
  if (!o.endpoint) throw usage("whatif needs --endpoint SLUG (or --scenario FILE)");
  if (o.candidates.length === 0) throw usage('whatif needs at least one --candidate, e.g. --candidate \'{"provider":"openai","model":"gpt-4o-mini"}\'');
  const candidates = o.candidates.map((c, i) => {
    try {
      return JSON.parse(c) as unknown;
    } catch (e) {
      throw usage(`--candidate ${i + 1} is not JSON: ${(e as Error).message}`);
    }
  });
  const body: Record<string, unknown> = { endpoint: o.endpoint, candidates };
  for (const [k, v] of [["cohort", o.cohort], ["customerId", o.customer], ["from", o.from], ["to", o.to], ["growth", o.growth]] as const) if (v !== undefined) body[k] = v;
  return body;
}

/** Money for the table, rounded for reading (lib/format.ts); the exact figures are in --json. */
const usd = (v: string | null) => formatUsd(v, { missing: "-" });

/** The comparison table, one row per outcome, and the self-hosting lines under it. */
export function comparisonTable(r: WhatIfResult): string {
  const head = ["", "requests", "mean", "p50", "p95", "weekly", "monthly", `weekly ×${r.growth}`, "vs actual", "verdict", "unpriced"];
  const row = (name: string, o: Outcome, delta: string) => [
    name,
    String(o.requests),
    usd(o.costPerRequest.mean),
    usd(o.costPerRequest.p50),
    usd(o.costPerRequest.p95),
    usd(o.weeklyUsd),
    usd(o.monthlyUsd),
    usd(o.atGrowth.weeklyUsd),
    delta,
    o.verdict.breach === "ceiling" ? "over ceiling" : o.verdict.breach === "target" ? "over target" : o.verdict.ceilingCost || o.verdict.targetCost ? "ok" : "-",
    String(o.unpricedEvents + o.incompleteEvents),
  ];
  const pct = (c: CandidateResult) => (c.delta.weeklyPct === null ? "-" : `${c.delta.weeklyPct.startsWith("-") ? "" : "+"}${c.delta.weeklyPct}%`);
  const rows = [head, row("actual", r.actual, ""), ...r.candidates.map((c) => row(c.name, c, pct(c)))];
  const widths = head.map((_, i) => Math.max(...rows.map((x) => x[i]!.length)));
  const lines = rows.map((x) => x.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join("  ").trimEnd());
  lines.splice(1, 0, widths.map((w) => "-".repeat(w)).join("  "));
  const out = [
    `What if: ${r.endpoint}${r.cohort ? ` (cohort ${r.cohort})` : ""}${r.customerId ? ` (customer ${r.customerId})` : ""}, ${r.window.from} to ${r.window.to} (${r.window.timezone}), ${r.window.days} days; monthly = ${r.window.monthly}`,
    ...lines,
  ];
  for (const c of r.candidates) {
    if (c.selfHosted) {
      const s = c.selfHosted;
      out.push(
        `${c.name}: ${s.gpus} GPU${s.gpus === 1 ? "" : "s"} for ${s.paidGpuHours} h = ${usd(s.fleetCostUsd)}; busy ${s.busyGpuHours} GPU-h (${s.gpuHoursAtTarget} at the target), ` +
          `utilisation ${s.impliedUtilisationPct}%; at ×${r.growth}: ${s.atGrowth.gpus} GPU${s.atGrowth.gpus === 1 ? "" : "s"}, ${s.atGrowth.impliedUtilisationPct}%. ` +
          (s.breakEvenRequestsPerWeek === null ? "No volume breaks even." : `Breaks even from ${s.breakEvenRequestsPerWeek} requests a week.`),
      );
    }
    if (c.unpricedReasons.length) out.push(`${c.name}: could not price (in part): ${c.unpricedReasons.join("; ")}`);
    if (c.billedRepriced) out.push(`${c.name}: ${c.billedRepriced} billed call${c.billedRepriced === 1 ? "" : "s"} re-priced from tokens at list less contract.`);
  }
  out.push(r.quality.note, ...r.notes);
  return out.join("\n");
}

export async function whatifCommand(o: WhatIfOptions): Promise<number> {
  const body = scenarioBody(o);
  const { base, key } = remote(o, "whatif");
  let res: Response;
  try {
    res = await fetch(`${base}/api/v1/whatif`, { method: "POST", headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/json" }, body: JSON.stringify(body) });
  } catch (err) {
    console.error(`error: cannot reach ${base}: ${(err as Error).message}`);
    return 1;
  }
  const answer = (await res.json().catch(() => null)) as WhatIfResult | null;
  if (res.status !== 200 || !answer) {
    console.error(`error: ${describeError(res.status, answer)}`);
    return 1;
  }
  console.log(o.json ? JSON.stringify(answer, null, 2) : comparisonTable(answer));
  return 0;
}
