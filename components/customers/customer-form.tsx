"use client";
// Name a customer and set its plan (empty plan: back to the cohort its events carry).
import { useApiForm } from "@/components/ui/use-api-form";

export function CustomerForm({ id, name, plan, lastCohort }: { id: string; name: string | null; plan: string | null; lastCohort: string | null }) {
  const { fields, error, notice, pending, submit, clear } = useApiForm();

  async function save(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const text = (k: string) => String(form.get(k) ?? "").trim();
    clear();
    await submit(`/api/v1/customers/${encodeURIComponent(id)}`, "PATCH", { name: text("name") || null, plan: text("plan") || null }, { onSuccess: () => "Saved." });
  }

  const input = "w-56 max-w-full rounded-md border border-slate-300 px-2 py-1.5";
  return (
    <form onSubmit={save} className="space-y-3 text-sm" aria-label="Customer">
      {error ? <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-red-700">{error}</p> : null}
      {notice ? <p role="status" className="rounded-md bg-emerald-50 px-3 py-2 text-emerald-800">{notice}</p> : null}
      <div className="flex flex-wrap items-end gap-4">
        <label className="block">
          <span className="mb-1 block text-xs font-medium text-slate-600">Name</span>
          <input name="name" defaultValue={name ?? ""} className={input} />
          {fields.name ? <span className="mt-1 block text-xs text-red-700">{fields.name}</span> : null}
        </label>
        <label className="block">
          <span className="mb-1 block text-xs font-medium text-slate-600">Plan</span>
          <input name="plan" defaultValue={plan ?? ""} placeholder={lastCohort ? `from events: ${lastCohort}` : "none"} className={input} />
          {fields.plan ? <span className="mt-1 block text-xs text-red-700">{fields.plan}</span> : null}
        </label>
        <button type="submit" disabled={pending} className="rounded-md bg-slate-900 px-3 py-1.5 font-medium text-white hover:bg-slate-700 disabled:opacity-50">Save</button>
      </div>
      <p className="text-xs text-slate-500">An empty plan follows the cohort the customer&apos;s events carry{lastCohort ? ` (now ${lastCohort})` : ""}.</p>
    </form>
  );
}
