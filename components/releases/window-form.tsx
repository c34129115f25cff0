"use client";
// The release comparison window (admins): days before and after each release that are compared.
import { useApiForm } from "@/components/ui/use-api-form";

export function ReleaseWindowForm({ windowDays }: { windowDays: number }) {
  const { fields, error, notice, submit } = useApiForm();

  async function save(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const raw = String(new FormData(e.currentTarget).get("windowDays") ?? "").trim();
    await submit<{ windowDays: number }>("/api/v1/settings/releases", "PUT", { windowDays: raw === "" ? null : Number(raw) }, {
      onSuccess: (d) => `Releases are now compared over ${d.windowDays} days each side.`,
    });
  }

  return (
    <form onSubmit={save} className="flex flex-wrap items-end gap-3" aria-label="Comparison window">
      <label className="block">
        <span className="mb-1 block text-xs font-medium text-slate-600">Days before and after each release</span>
        <input name="windowDays" defaultValue={windowDays} inputMode="numeric" className="w-24 rounded-md border border-slate-300 px-2 py-1.5 text-right" />
      </label>
      <button type="submit" className="rounded-md border border-slate-300 bg-white px-3 py-1.5 hover:bg-slate-50">
        Save window
      </button>
      {error ? <p role="alert" className="text-sm text-red-700">{fields.windowDays ?? error}</p> : null}
      {notice ? <p role="status" className="text-sm text-emerald-800">{notice}</p> : null}
    </form>
  );
}
