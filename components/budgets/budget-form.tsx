"use client";
// Add a budget: what it is for, which one, the monthly amount and its owner.
import { useApiForm } from "@/components/ui/use-api-form";
import type { BudgetChoices } from "@/lib/budgets/page-data";

const SCOPES = [
  ["organisation", "The organisation"],
  ["team", "A team"],
  ["feature", "A feature"],
  ["plan", "A plan (cohort)"],
  ["customer", "A customer"],
] as const;

const input = "w-full rounded-md border border-slate-300 px-2 py-1.5";

export function BudgetForm({ choices, financeScopes, defaultOwnerId }: { choices: BudgetChoices; financeScopes: boolean; defaultOwnerId: string | null }) {
  const scopes = financeScopes ? SCOPES : SCOPES.filter(([s]) => s === "feature");
  const { values, setValue, fields, error, notice, pending, submit } = useApiForm({ scope: scopes[0]![0] as string, scopeValue: "", amountUsd: "", ownerId: defaultOwnerId ?? "" });
  const options = values.scope === "team" ? choices.teams : values.scope === "feature" ? choices.features.map((f) => f.slug) : values.scope === "plan" ? choices.plans : [];
  return (
    <form
      aria-label="Add a budget"
      className="grid gap-3 sm:grid-cols-2 lg:grid-cols-5 lg:items-end"
      onSubmit={(e) => {
        e.preventDefault();
        void submit("/api/v1/budgets", "POST", { ...values, ownerId: values.ownerId || null }, { onSuccess: () => "Budget added." });
      }}
    >
      <label className="block text-sm">
        <span className="mb-1 block font-medium">Budget for</span>
        <select value={values.scope} onChange={(e) => { setValue("scope", e.target.value); setValue("scopeValue", ""); }} className={input}>
          {scopes.map(([s, label]) => (
            <option key={s} value={s}>{label}</option>
          ))}
        </select>
        {fields.scope ? <span className="text-xs text-red-700">{fields.scope}</span> : null}
      </label>
      <label className="block text-sm">
        <span className="mb-1 block font-medium">Which one</span>
        {values.scope === "organisation" ? (
          <input value="(all spend)" disabled className={`${input} bg-slate-50 text-slate-500`} />
        ) : options.length > 0 ? (
          <select value={values.scopeValue} onChange={(e) => setValue("scopeValue", e.target.value)} className={input}>
            <option value="">Choose…</option>
            {options.map((o) => (
              <option key={o} value={o}>{o}</option>
            ))}
          </select>
        ) : (
          <input value={values.scopeValue} onChange={(e) => setValue("scopeValue", e.target.value)} className={input} placeholder={values.scope === "customer" ? "the customer id" : ""} />
        )}
        {fields.scopeValue ? <span className="text-xs text-red-700">{fields.scopeValue}</span> : null}
      </label>
      <label className="block text-sm">
        <span className="mb-1 block font-medium">Monthly amount (USD)</span>
        <input value={values.amountUsd} onChange={(e) => setValue("amountUsd", e.target.value)} inputMode="decimal" className={input} placeholder="2500.00" />
        {fields.amountUsd ? <span className="text-xs text-red-700">{fields.amountUsd}</span> : null}
      </label>
      <label className="block text-sm">
        <span className="mb-1 block font-medium">Owner</span>
        <select value={values.ownerId} onChange={(e) => setValue("ownerId", e.target.value)} className={input}>
          <option value="">Nobody</option>
          {choices.users.map((u) => (
            <option key={u.id} value={u.id}>{u.label}</option>
          ))}
        </select>
        {fields.ownerId ? <span className="text-xs text-red-700">{fields.ownerId}</span> : null}
      </label>
      <div>
        <button type="submit" disabled={pending} className="rounded-md bg-slate-900 px-3 py-1.5 text-white disabled:opacity-50">
          Add budget
        </button>
      </div>
      {error ? <p role="alert" className="text-sm text-red-700 sm:col-span-2 lg:col-span-5">{error}</p> : null}
      {notice ? <p role="status" className="text-sm text-emerald-800 sm:col-span-2 lg:col-span-5">{notice}</p> : null}
    </form>
  );
}

/** The budget page's actions: change the amount, acknowledge the month's alert, remove the budget. */
export function BudgetActions({ id, month, amountUsd, canEdit, canAcknowledge }: { id: string; month: string; amountUsd: string; canEdit: boolean; canAcknowledge: boolean }) {
  const amount = useApiForm({ amountUsd });
  const ack = useApiForm({}, { showsFieldErrors: false });
  const remove = useApiForm({}, { showsFieldErrors: false });
  return (
    <div className="flex flex-wrap items-end gap-4">
      {canEdit ? (
        <form
          aria-label="Change the amount"
          className="flex flex-wrap items-end gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            void amount.submit(`/api/v1/budgets/${id}`, "PATCH", amount.values, { onSuccess: () => "Amount changed." });
          }}
        >
          <label className="block text-sm">
            <span className="mb-1 block font-medium">Monthly amount (USD)</span>
            <input value={amount.values.amountUsd} onChange={(e) => amount.setValue("amountUsd", e.target.value)} inputMode="decimal" className={input} />
          </label>
          <button type="submit" disabled={amount.pending} className="rounded-md border border-slate-300 bg-white px-3 py-1.5 hover:bg-slate-50 disabled:opacity-50">
            Save amount
          </button>
          {amount.error ? <p role="alert" className="w-full text-sm text-red-700">{amount.fields.amountUsd ?? amount.error}</p> : null}
          {amount.notice ? <p role="status" className="w-full text-sm text-emerald-800">{amount.notice}</p> : null}
        </form>
      ) : null}
      {canAcknowledge ? (
        <button
          type="button"
          disabled={ack.pending}
          onClick={() => void ack.submit(`/api/v1/budgets/${id}/acknowledge?month=${month}`, "POST")}
          className="rounded-md bg-slate-900 px-3 py-1.5 text-white disabled:opacity-50"
        >
          Acknowledge the forecast breach
        </button>
      ) : null}
      {canEdit ? (
        <button
          type="button"
          disabled={remove.pending}
          onClick={() => {
            if (window.confirm("Remove this budget?")) void remove.submit(`/api/v1/budgets/${id}`, "DELETE", undefined, { refresh: false, onSuccess: () => void (window.location.href = "/budgets") });
          }}
          className="rounded-md border border-red-300 bg-white px-3 py-1.5 text-red-800 hover:bg-red-50 disabled:opacity-50"
        >
          Remove budget
        </button>
      ) : null}
      {ack.error ?? remove.error ? <p role="alert" className="w-full text-sm text-red-700">{ack.error ?? remove.error}</p> : null}
    </div>
  );
}
