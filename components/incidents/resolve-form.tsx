"use client";
import { useApiForm } from "@/components/ui/use-api-form";

export function ResolveIncidentForm({ id }: { id: string }) {
  const { values, setValue, fields, error, pending, submit } = useApiForm({ note: "" });
  return (
    <form
      className="grid max-w-2xl gap-2"
      onSubmit={(e) => {
        e.preventDefault();
        void submit(`/api/v1/incidents/${id}/resolve`, "POST", values);
      }}
    >
      <label htmlFor="resolution-note" className="text-sm font-medium">
        Resolution note
      </label>
      <textarea
        id="resolution-note"
        value={values.note}
        onChange={(e) => setValue("note", e.target.value)}
        rows={3}
        className="rounded-md border border-slate-300 px-2 py-1.5"
        placeholder="What caused the spike and what was done about it"
      />
      {error ? <p className="text-sm text-red-700">{fields.note ?? error}</p> : null}
      <div>
        <button type="submit" disabled={pending} className="rounded-md bg-slate-900 px-3 py-1.5 text-white disabled:opacity-50">
          Resolve incident
        </button>
      </div>
    </form>
  );
}
