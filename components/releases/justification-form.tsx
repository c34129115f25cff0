"use client";
// The justification of a release whose cost per request rose: a class and a written explanation
// (markdown). Saving again keeps the earlier version in the history.
import { useApiForm } from "@/components/ui/use-api-form";
import { JUSTIFICATION_CLASSES, JUSTIFICATION_CLASS_LABELS, type JustificationClass } from "@/lib/review/justification-classes";

export function JustificationForm({ releaseId, current }: { releaseId: string; current: { class: JustificationClass; text: string } | null }) {
  const { fields, error, notice, submit } = useApiForm();

  async function save(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    await submit<{ justification: { version: number } }>(
      `/api/v1/releases/${releaseId}/justification`,
      "POST",
      { class: String(form.get("class") ?? ""), text: String(form.get("text") ?? "") },
      { onSuccess: (d) => `Justification saved (version ${d.justification.version}).` },
    );
  }

  return (
    <form onSubmit={save} className="space-y-3" aria-label="Justification">
      {error ? <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-red-700">{error}</p> : null}
      {notice ? <p role="status" className="rounded-md bg-emerald-50 px-3 py-2 text-emerald-800">{notice}</p> : null}
      <label className="block">
        <span className="mb-1 block text-xs font-medium text-slate-600">Class</span>
        <select name="class" defaultValue={current?.class ?? ""} className="rounded-md border border-slate-300 px-2 py-1.5">
          <option value="" disabled>
            Choose…
          </option>
          {JUSTIFICATION_CLASSES.map((c) => (
            <option key={c} value={c}>
              {JUSTIFICATION_CLASS_LABELS[c]}
            </option>
          ))}
        </select>
        {fields.class ? <span className="mt-1 block text-xs text-red-700">{fields.class}</span> : null}
      </label>
      <label className="block">
        <span className="mb-1 block text-xs font-medium text-slate-600">Why did cost per request move? (markdown)</span>
        <textarea name="text" rows={5} defaultValue={current?.text ?? ""} className="w-full rounded-md border border-slate-300 px-2 py-1.5" />
        {fields.text ? <span className="mt-1 block text-xs text-red-700">{fields.text}</span> : null}
      </label>
      <button type="submit" className="rounded-md bg-slate-900 px-3 py-1.5 font-medium text-white hover:bg-slate-700">
        Save justification
      </button>
    </form>
  );
}
