"use client";
// Records a release from the Releases page (admins and feature owners): version, title, when it shipped,
// the endpoints it touched, and optionally author, link, description and the what-if scenario it was
// decided on (with the candidate that shipped), whose projection the release page then sets against the actual.
import Link from "next/link";
import { useState } from "react";
import { useRouter } from "next/navigation";
import { useApiForm } from "@/components/ui/use-api-form";

type Created = { release: { id: string; version: string } };

export type ScenarioChoice = { id: string; name: string; endpoint: string; candidates: string[] };

export function ReleaseForm({ endpoints, scenarios = [] }: { endpoints: { slug: string; name: string }[]; scenarios?: ScenarioChoice[] }) {
  const router = useRouter();
  const [scenarioId, setScenarioId] = useState("");
  const scenario = scenarios.find((s) => s.id === scenarioId);
  const { fields, error, pending: busy, submit } = useApiForm();

  async function save(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const text = (k: string) => String(form.get(k) ?? "").trim();
    const local = text("shippedAt");
    const r = await submit<Created>(
      "/api/v1/releases",
      "POST",
      {
        version: text("version"),
        title: text("title"),
        shippedAt: local ? new Date(local).toISOString() : undefined,
        endpoints: form.getAll("endpoints").map(String),
        author: text("author") || null,
        link: text("link") || null,
        description: text("description") || null,
        scenarioId: scenarioId || null,
        scenarioCandidate: scenarioId ? Number(text("scenarioCandidate") || "1") : null,
      },
      { refresh: false },
    );
    if (!r.ok) return;
    router.push(`/releases/${r.data.release.id}`);
    router.refresh();
  }

  const input = "w-full rounded-md border border-slate-300 px-2 py-1.5";
  const label = "mb-1 block text-xs font-medium text-slate-600";
  const err = (k: string) => (fields[k] ? <span className="mt-1 block text-xs text-red-700">{fields[k]}</span> : null);
  return (
    <form onSubmit={save} className="grid gap-3 md:grid-cols-2" aria-label="Record a release">
      {error ? <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-red-700 md:col-span-2">{error}</p> : null}
      <label className="block">
        <span className={label}>Version</span>
        <input name="version" className={input} placeholder="chat 4.3.0" />
        {err("version")}
      </label>
      <label className="block">
        <span className={label}>Title</span>
        <input name="title" className={input} placeholder="What changed, in a line" />
        {err("title")}
      </label>
      <label className="block">
        <span className={label}>Shipped at (your local time; empty = now)</span>
        <input name="shippedAt" type="datetime-local" className={input} />
        {err("shippedAt")}
      </label>
      <label className="block">
        <span className={label}>Author</span>
        <input name="author" className={input} />
        {err("author")}
      </label>
      <fieldset className="md:col-span-2">
        <legend className={label}>Endpoints touched</legend>
        <div className="flex flex-wrap gap-3">
          {endpoints.map((e) => (
            <label key={e.slug} className="flex items-center gap-1.5">
              <input type="checkbox" name="endpoints" value={e.slug} />
              <span className="font-mono text-xs">{e.slug}</span>
            </label>
          ))}
        </div>
        {err("endpoints")}
      </fieldset>
      <label className="block md:col-span-2">
        <span className={label}>Link (pull request, changelog)</span>
        <input name="link" className={input} placeholder="https://" />
        {err("link")}
      </label>
      <label className="block md:col-span-2">
        <span className={label}>Description</span>
        <textarea name="description" rows={3} className={input} />
        {err("description")}
      </label>
      <label className="block">
        <span className={label}>What-if scenario it was decided on (optional)</span>
        <select value={scenarioId} onChange={(e) => setScenarioId(e.target.value)} className={input} name="scenarioId">
          <option value="">None</option>
          {scenarios.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name} ({s.endpoint})
            </option>
          ))}
        </select>
        {err("scenarioId")}
        <span className="mt-1 block text-xs text-slate-500">
          Not saved one yet? <Link href="/whatif/new" className="text-sky-700 hover:underline">Try the change in What if</Link> first.
        </span>
      </label>
      {scenario ? (
        <label className="block">
          <span className={label}>Candidate that shipped</span>
          <select name="scenarioCandidate" className={input} defaultValue="1" key={scenario.id}>
            {scenario.candidates.map((c, i) => (
              <option key={i} value={String(i + 1)}>
                {i + 1}. {c}
              </option>
            ))}
          </select>
          {err("scenarioCandidate")}
        </label>
      ) : null}
      <div className="md:col-span-2">
        <button type="submit" disabled={busy} className="rounded-md bg-slate-900 px-3 py-1.5 font-medium text-white hover:bg-slate-700 disabled:opacity-50">
          Record release
        </button>
      </div>
    </form>
  );
}
