"use client";
// The release comparison window (admins): days before and after each release that are compared.
import { useRouter } from "next/navigation";
import { useState } from "react";
import { callApi } from "@/components/ui/api";

export function ReleaseWindowForm({ windowDays }: { windowDays: number }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  async function save(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const raw = String(new FormData(e.currentTarget).get("windowDays") ?? "").trim();
    setError(null);
    setNotice(null);
    const r = await callApi<{ windowDays: number }>("/api/v1/settings/releases", { method: "PUT", body: { windowDays: raw === "" ? null : Number(raw) } });
    if (!r.ok) {
      setError(r.fields.windowDays ?? r.message);
      return;
    }
    setNotice(`Releases are now compared over ${r.data.windowDays} days each side.`);
    router.refresh();
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
      {error ? <p role="alert" className="text-sm text-red-700">{error}</p> : null}
      {notice ? <p role="status" className="text-sm text-emerald-800">{notice}</p> : null}
    </form>
  );
}
