"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { callApi } from "@/components/ui/api";

export function ResolveIncidentForm({ id }: { id: string }) {
  const router = useRouter();
  const [note, setNote] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <form
      className="grid max-w-2xl gap-2"
      onSubmit={async (e) => {
        e.preventDefault();
        setBusy(true);
        const r = await callApi(`/api/v1/incidents/${id}/resolve`, { method: "POST", body: { note } });
        setBusy(false);
        if (!r.ok) setError(r.fields.note ?? r.message);
        else router.refresh();
      }}
    >
      <label htmlFor="resolution-note" className="text-sm font-medium">
        Resolution note
      </label>
      <textarea
        id="resolution-note"
        value={note}
        onChange={(e) => setNote(e.target.value)}
        rows={3}
        className="rounded-md border border-slate-300 px-2 py-1.5"
        placeholder="What caused the spike and what was done about it"
      />
      {error ? <p className="text-sm text-red-700">{error}</p> : null}
      <div>
        <button type="submit" disabled={busy} className="rounded-md bg-slate-900 px-3 py-1.5 text-white disabled:opacity-50">
          Resolve incident
        </button>
      </div>
    </form>
  );
}
