"use client";
// Revenue per request assumed per plan: the fallback for customers without uploaded revenue. One row per
// plan; an emptied field removes the plan's assumption. Only the rows changed are sent.
import { useState } from "react";
import { useApiForm } from "@/components/ui/use-api-form";
import type { PlanRate } from "@/lib/customers/plan-rates";
import { formatCount } from "@/lib/format";
import { TableBox } from "@/components/ui/table-box";
import { th, thead } from "@/components/customers/margin-tables";

export function PlanRatesForm({ plans }: { plans: PlanRate[] }) {
  const { error, notice, pending, submit, fail, clear } = useApiForm();
  const [problems, setProblems] = useState<string[]>([]);

  async function save(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    clear();
    setProblems([]);
    const form = new FormData(e.currentTarget);
    const rates = plans
      .map((p, i) => ({ plan: p.plan, value: String(form.get(`rate-${i}`) ?? "").trim(), before: p.revenuePerRequest ?? "" }))
      .filter((r) => r.value !== r.before)
      .map((r) => ({ plan: r.plan, revenuePerRequest: r.value === "" ? null : r.value }));
    if (rates.length === 0) return fail("Nothing changed: type a revenue per request for a plan, or empty one to remove it.");
    const r = await submit("/api/v1/plan-revenue-rates", "PUT", { rates }, { onSuccess: () => `Saved ${formatCount(rates.length)} plan${rates.length === 1 ? "" : "s"}.` });
    if (!r.ok) {
      // A field error's path is rates.K.revenuePerRequest, K counting the rows sent: name the plan instead.
      setProblems(Object.entries(r.fields).map(([path, m]) => `${rates[Number(path.split(".")[1])]?.plan ?? path}: ${m}`));
      fail("Nothing was saved: fix the rates below and save again.");
    }
  }
  return (
    <form onSubmit={save} className="space-y-3 text-sm" aria-label="Assumed revenue per plan" data-testid="plan-rates">
      <p className="text-slate-600">
        A customer without uploaded revenue for a month is given its requests × its plan&apos;s revenue per request, shown as <em>assumed</em> wherever it appears.
        Uploaded revenue always wins. Leave a plan empty to have no assumption for it.
      </p>
      {error ? (
        <div role="alert" className="rounded-md bg-red-50 px-3 py-2 text-red-700">
          <p>{error}</p>
          {problems.length ? <ul className="mt-1 list-disc pl-5" data-testid="plan-rate-errors">{problems.map((m) => <li key={m}>{m}</li>)}</ul> : null}
        </div>
      ) : null}
      {notice ? <p role="status" className="rounded-md bg-emerald-50 px-3 py-2 text-emerald-800">{notice}</p> : null}
      {plans.length === 0 ? (
        <p className="text-slate-500">No plans yet: a plan is a customer&apos;s cohort (or the plan set on its page).</p>
      ) : (
        <TableBox>
          <table className="w-full text-sm">
            <thead className={thead}>
              <tr>
                <th className={th}>Plan</th>
                <th className={`${th} text-right`}>Customers</th>
                <th className={th}>Revenue per request (USD)</th>
              </tr>
            </thead>
            <tbody>
              {plans.map((p, i) => (
                <tr key={p.plan} className="border-t border-slate-100">
                  <td className="max-w-64 truncate px-3 py-1.5">{p.plan}</td>
                  <td className="num px-3 py-1.5 text-right">{formatCount(p.customers)}</td>
                  <td className="px-3 py-1.5">
                    <input name={`rate-${i}`} defaultValue={p.revenuePerRequest ?? ""} inputMode="decimal" placeholder="none" aria-label={`Revenue per request for ${p.plan}`} className="w-28 max-w-full rounded-md border border-slate-300 px-2 py-1" />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableBox>
      )}
      {plans.length ? (
        <button type="submit" disabled={pending} className="rounded-md bg-slate-900 px-3 py-1.5 font-medium text-white hover:bg-slate-700 disabled:opacity-50">
          {pending ? "Saving…" : "Save assumptions"}
        </button>
      ) : null}
    </form>
  );
}
