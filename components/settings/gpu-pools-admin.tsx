"use client";
// GPU pool prices: add, change and delete. Each change re-prices the pool-hours it governs; the API
// refuses a change that would re-price a closed month, and says which.
import { useState } from "react";
import { useApiForm } from "@/components/ui/use-api-form";
import { formatUsd, formatUtc } from "@/lib/format";
import { TableBox } from "@/components/ui/table-box";

export type PoolPrice = { id: string; name: string; hourlyUsd: string; effectiveFrom: string; effectiveTo: string | null };
type Change = { pool: PoolPrice | null; recomputedHours: number };

/** A datetime-local value ("2026-11-02T10:00") read as UTC, as an ISO string; empty stays null. */
const utcIso = (v: FormDataEntryValue | null) => (typeof v === "string" && v ? `${v.length === 16 ? `${v}:00` : v}Z` : null);
const localValue = (iso: string | null) => (iso ? iso.slice(0, 16) : "");
const rehoured = (n: number) => `${n} pool-hour${n === 1 ? "" : "s"} re-priced`;

export function GpuPoolsAdmin({ pools }: { pools: PoolPrice[] }) {
  const { fields, error, notice, submit } = useApiForm();
  const [editing, setEditing] = useState<string | null>(null);

  async function create(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const formEl = e.currentTarget;
    const form = new FormData(formEl);
    await submit<Change>(
      "/api/v1/gpu-pools",
      "POST",
      {
        name: form.get("name"),
        hourlyUsd: form.get("hourlyUsd"),
        effectiveFrom: utcIso(form.get("effectiveFrom")),
        effectiveTo: utcIso(form.get("effectiveTo")),
      },
      {
        onSuccess: (d) => {
          formEl.reset();
          return `Added ${d.pool?.name} at ${formatUsd(d.pool?.hourlyUsd, { mode: "exact" })}/hour; ${rehoured(d.recomputedHours)}.`;
        },
      },
    );
  }

  async function save(e: React.FormEvent<HTMLFormElement>, p: PoolPrice) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    await submit<Change>(
      `/api/v1/gpu-pools/${p.id}`,
      "PATCH",
      { hourlyUsd: form.get("hourlyUsd"), effectiveFrom: utcIso(form.get("effectiveFrom")), effectiveTo: utcIso(form.get("effectiveTo")) },
      {
        onSuccess: (d) => {
          setEditing(null);
          return `Changed ${p.name}; ${rehoured(d.recomputedHours)}.`;
        },
      },
    );
  }

  async function remove(p: PoolPrice) {
    await submit<Change>(`/api/v1/gpu-pools/${p.id}`, "DELETE", undefined, {
      onSuccess: (d) => `Deleted the ${p.name} price from ${formatUtc(p.effectiveFrom)}; ${rehoured(d.recomputedHours)}.`,
    });
  }

  const fieldError = (name: string) => (fields[name] ? <span className="mt-1 block text-xs text-red-700">{fields[name]}</span> : null);
  const input = "rounded-md border border-slate-300 px-2 py-1.5";

  return (
    <div className="space-y-4">
      {error ? <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-red-700">{error}</p> : null}
      {notice ? <p role="status" className="rounded-md bg-emerald-50 px-3 py-2 text-emerald-800">{notice}</p> : null}
      <TableBox>
      <table className="w-full text-left" aria-label="GPU pool prices">
        <thead className="text-xs uppercase tracking-wide text-slate-500">
          <tr>
            <th className="py-2 pr-4">Pool</th>
            <th className="py-2 pr-4 text-right">Per hour</th>
            <th className="py-2 pr-4">Effective from (UTC)</th>
            <th className="py-2 pr-4">Effective to (UTC)</th>
            <th className="py-2 pr-4" />
          </tr>
        </thead>
        <tbody>
          {pools.length === 0 ? (
            <tr><td colSpan={5} className="py-3 text-slate-500">No GPU pools yet. GPU events of a pool without a price stay unpriced.</td></tr>
          ) : pools.map((p) =>
            editing === p.id ? (
              <tr key={p.id} className="border-t border-slate-100">
                <td colSpan={5} className="py-2">
                  <form onSubmit={(e) => void save(e, p)} className="flex flex-wrap items-end gap-3" aria-label={`Change ${p.name}`}>
                    <span className="font-mono">{p.name}</span>
                    <label>
                      <span className="mb-1 block text-xs font-medium text-slate-600">Hourly price (USD)</span>
                      <input name="hourlyUsd" defaultValue={p.hourlyUsd} inputMode="decimal" className={`w-28 ${input}`} />
                    </label>
                    <label>
                      <span className="mb-1 block text-xs font-medium text-slate-600">Effective from (UTC)</span>
                      <input name="effectiveFrom" type="datetime-local" defaultValue={localValue(p.effectiveFrom)} className={input} />
                    </label>
                    <label>
                      <span className="mb-1 block text-xs font-medium text-slate-600">Effective to (UTC)</span>
                      <input name="effectiveTo" type="datetime-local" defaultValue={localValue(p.effectiveTo)} className={input} />
                    </label>
                    <button type="submit" className="rounded-md bg-slate-900 px-3 py-1.5 font-medium text-white hover:bg-slate-700">Save</button>
                    <button type="button" onClick={() => setEditing(null)} className="rounded-md border border-slate-300 px-3 py-1.5">Cancel</button>
                  </form>
                </td>
              </tr>
            ) : (
              <tr key={p.id} className="border-t border-slate-100">
                <td className="py-2 pr-4 font-mono">{p.name}</td>
                <td className="num py-2 pr-4 text-right">{formatUsd(p.hourlyUsd, { mode: "exact" })}</td>
                <td className="num py-2 pr-4">{formatUtc(p.effectiveFrom)}</td>
                <td className="num py-2 pr-4">{p.effectiveTo ? formatUtc(p.effectiveTo) : <span className="text-slate-500">open-ended</span>}</td>
                <td className="py-2 pr-4 text-right whitespace-nowrap">
                  <button type="button" onClick={() => setEditing(p.id)} className="mr-2 rounded-md border border-slate-300 px-2 py-1 hover:bg-slate-50">Change</button>
                  <button type="button" onClick={() => void remove(p)} className="rounded-md border border-red-200 px-2 py-1 text-red-700 hover:bg-red-50">Delete</button>
                </td>
              </tr>
            ),
          )}
        </tbody>
      </table>
      </TableBox>
      <form onSubmit={create} className="flex flex-wrap items-start gap-3 rounded-lg border border-slate-200 bg-slate-50 p-4" aria-label="Add a GPU pool price">
        <label>
          <span className="mb-1 block text-xs font-medium text-slate-600">Pool name</span>
          <input name="name" required placeholder="e.g. a100-inference" className={`w-56 ${input}`} />
          {fieldError("name")}
        </label>
        <label>
          <span className="mb-1 block text-xs font-medium text-slate-600">Hourly price (USD)</span>
          <input name="hourlyUsd" required placeholder="3.60" inputMode="decimal" className={`w-28 ${input}`} />
          {fieldError("hourlyUsd")}
        </label>
        <label>
          <span className="mb-1 block text-xs font-medium text-slate-600">Effective from (UTC)</span>
          <input name="effectiveFrom" type="datetime-local" required className={input} />
          {fieldError("effectiveFrom")}
        </label>
        <label>
          <span className="mb-1 block text-xs font-medium text-slate-600">Effective to (UTC, optional)</span>
          <input name="effectiveTo" type="datetime-local" className={input} />
          {fieldError("effectiveTo")}
        </label>
        <button type="submit" className="mt-5 rounded-md bg-slate-900 px-3 py-1.5 font-medium text-white hover:bg-slate-700">Add pool price</button>
      </form>
    </div>
  );
}
