"use client";
// Edit an endpoint's targets (one row per cohort; an empty cohort = all cohorts) and its primary quality metric.
import { useState } from "react";
import { useApiForm } from "@/components/ui/use-api-form";

export type TargetInput = { cohort: string; targetCost: string; ceilingCost: string; revenuePerRequest: string; latencyBudgetMs: string };

const EMPTY: TargetInput = { cohort: "", targetCost: "", ceilingCost: "", revenuePerRequest: "", latencyBudgetMs: "" };

export function TargetsForm({ endpoint, initial, metrics, primaryMetric }: { endpoint: string; initial: TargetInput[]; metrics: string[]; primaryMetric: string | null }) {
  const [rows, setRows] = useState<TargetInput[]>(initial.length ? initial : [EMPTY]);
  const [metric, setMetric] = useState(primaryMetric ?? "");
  const { fields, error, notice, pending: busy, submit } = useApiForm();
  const set = (i: number, k: keyof TargetInput, v: string) => setRows((rs) => rs.map((r, j) => (j === i ? { ...r, [k]: v } : r)));
  const opt = (v: string) => (v.trim() === "" ? null : v.trim());
  const save = async () => {
    await submit(
      "/api/v1/targets",
      "PUT",
      {
        endpoint,
        primaryMetric: metric || null,
        targets: rows
          .filter((x) => Object.values(x).some((v) => v.trim() !== ""))
          .map((x) => ({
            cohort: opt(x.cohort),
            targetCost: opt(x.targetCost),
            ceilingCost: opt(x.ceilingCost),
            revenuePerRequest: opt(x.revenuePerRequest),
            latencyBudgetMs: opt(x.latencyBudgetMs) === null ? null : Number(x.latencyBudgetMs),
          })),
      },
      { onSuccess: () => "Saved." },
    );
  };
  const input = (i: number, k: keyof TargetInput, label: string, placeholder: string) => (
    <label className="grid gap-0.5 text-xs text-slate-600">
      {label}
      <input
        aria-label={`${label} (row ${i + 1})`}
        value={rows[i]![k]}
        placeholder={placeholder}
        onChange={(e) => set(i, k, e.target.value)}
        className={`w-28 rounded-md border px-2 py-1 text-sm text-slate-900 ${fields[`targets.${i}.${k}`] ? "border-red-500" : "border-slate-300"}`}
      />
      {fields[`targets.${i}.${k}`] ? <span className="text-red-700">{fields[`targets.${i}.${k}`]}</span> : null}
    </label>
  );
  return (
    <div className="grid gap-3">
      {rows.map((_, i) => (
        <div key={i} className="flex flex-wrap items-end gap-2">
          {input(i, "cohort", "Cohort", "all cohorts")}
          {input(i, "targetCost", "Target $/request", "0.010")}
          {input(i, "ceilingCost", "Ceiling $/request", "0.015")}
          {input(i, "revenuePerRequest", "Revenue $/request", "optional")}
          {input(i, "latencyBudgetMs", "p95 latency budget (ms)", "optional")}
          <button type="button" onClick={() => setRows((rs) => rs.filter((__, j) => j !== i))} className="rounded-md border border-slate-300 px-2 py-1 text-sm hover:bg-slate-50">
            Remove
          </button>
        </div>
      ))}
      <div className="flex flex-wrap items-end gap-3">
        <button type="button" onClick={() => setRows((rs) => [...rs, EMPTY])} className="rounded-md border border-slate-300 px-2 py-1 text-sm hover:bg-slate-50">
          Add a cohort
        </button>
        <label className="grid gap-0.5 text-xs text-slate-600">
          Primary quality metric
          <select value={metric} onChange={(e) => setMetric(e.target.value)} aria-label="Primary quality metric" className="rounded-md border border-slate-300 px-2 py-1 text-sm text-slate-900">
            <option value="">first reported</option>
            {metrics.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
        </label>
        <button type="button" disabled={busy} onClick={save} className="rounded-md bg-slate-900 px-3 py-1.5 text-sm text-white disabled:opacity-50">
          Save targets
        </button>
        {notice ? <span className="text-sm text-emerald-700">{notice}</span> : null}
        {error ? <span className="text-sm text-red-700">{error}</span> : null}
      </div>
    </div>
  );
}
