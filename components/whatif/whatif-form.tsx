"use client";
// The What if form: an endpoint (optionally one cohort or customer), a window of past traffic, a growth
// multiple and one to five candidates (model and provider from the price book, service tier, token shifts,
// or self-hosting on GPUs). Evaluate sends it to POST /api/v1/whatif and shows the comparison; Save (owners
// and admins) keeps the scenario that comparison answers under a name (POST /api/v1/scenarios) and opens its
// page, the link to share.
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useApiForm } from "@/components/ui/use-api-form";
import { WhatIfComparison } from "@/components/whatif/comparison";
import type { WhatIfFormChoices } from "@/lib/whatif/page-data";
import type { WhatIfResult } from "@/lib/whatif/engine";
import type { Scenario } from "@/lib/whatif/schemas";

const MAX_CANDIDATES = 5;

type CandidateFields = {
  name: string;
  /** "" (the model as served) or the index of the model in the choices. */
  model: string;
  serviceTier: string;
  promptGrowthPct: string;
  cacheHitRatePct: string;
  outputScalePct: string;
  outputCap: string;
  selfHosted: boolean;
  hourlyUsd: string;
  throughputKind: "tokens" | "requests";
  throughput: string;
  targetUtilisationPct: string;
};

type Values = {
  endpoint: string;
  cohort: string;
  customerId: string;
  from: string;
  to: string;
  growth: string;
  candidates: CandidateFields[];
};

const blank = (): CandidateFields => ({
  name: "",
  model: "",
  serviceTier: "",
  promptGrowthPct: "",
  cacheHitRatePct: "",
  outputScalePct: "",
  outputCap: "",
  selfHosted: false,
  hourlyUsd: "",
  throughputKind: "tokens",
  throughput: "",
  targetUtilisationPct: "60",
});

/** The form's fields from a scenario (a copy of a saved one). */
function fieldsOf(s: Scenario, choices: WhatIfFormChoices): Values {
  return {
    endpoint: s.endpoint,
    cohort: s.cohort ?? "",
    customerId: s.customerId ?? "",
    from: s.from ?? choices.defaultWindow.from,
    to: s.to ?? choices.defaultWindow.to,
    growth: s.growth,
    candidates: s.candidates.map((c) => {
      const i = choices.models.findIndex((m) => m.provider === c.provider && m.model === c.model);
      return {
        ...blank(),
        name: c.name ?? "",
        model: i >= 0 ? String(i) : "",
        serviceTier: c.serviceTier ?? "",
        promptGrowthPct: c.promptGrowthPct ?? "",
        cacheHitRatePct: c.cacheHitRatePct ?? "",
        outputScalePct: c.outputScalePct ?? "",
        outputCap: c.outputCap === undefined ? "" : String(c.outputCap),
        selfHosted: c.selfHosted !== undefined,
        hourlyUsd: c.selfHosted?.hourlyUsd ?? "",
        throughputKind: c.selfHosted?.requestsPerSecond !== undefined ? "requests" : "tokens",
        throughput: String(c.selfHosted?.tokensPerSecondPerGpu ?? c.selfHosted?.requestsPerSecond ?? ""),
        targetUtilisationPct: c.selfHosted?.targetUtilisationPct ?? "60",
      };
    }),
  };
}

/** A number field as the API takes it: a number when it reads as one, else the text (so the API names the field). */
const numberOr = (v: string) => (/^\s*-?\d+(\.\d+)?\s*$/.test(v) ? Number(v) : v);

/** The API's scenario from the form: empty fields are left out, decimals stay strings. */
function bodyOf(v: Values, choices: WhatIfFormChoices) {
  const text = (s: string) => (s.trim() === "" ? undefined : s.trim());
  return {
    endpoint: v.endpoint,
    cohort: text(v.cohort),
    customerId: text(v.customerId),
    from: text(v.from),
    to: text(v.to),
    growth: text(v.growth),
    candidates: v.candidates.map((c) => {
      const m = c.model === "" ? undefined : choices.models[Number(c.model)];
      const shift = {
        promptGrowthPct: text(c.promptGrowthPct),
        cacheHitRatePct: text(c.cacheHitRatePct),
        outputScalePct: text(c.outputScalePct),
        outputCap: text(c.outputCap) === undefined ? undefined : numberOr(c.outputCap),
      };
      if (c.selfHosted) {
        const throughput = text(c.throughput) === undefined ? undefined : numberOr(c.throughput);
        return {
          name: text(c.name),
          ...shift,
          selfHosted: {
            hourlyUsd: c.hourlyUsd.trim(),
            ...(c.throughputKind === "tokens" ? { tokensPerSecondPerGpu: throughput } : { requestsPerSecond: throughput }),
            targetUtilisationPct: c.targetUtilisationPct.trim(),
          },
        };
      }
      return { name: text(c.name), provider: m?.provider, model: m?.model, serviceTier: text(c.serviceTier), ...shift };
    }),
  };
}

const input = "w-full min-w-0 rounded-md border border-slate-300 px-2 py-1.5";
const labelText = "mb-1 block text-xs font-medium text-slate-600";

export function WhatIfForm({ choices, endpoint, copyOf }: { choices: WhatIfFormChoices; endpoint?: string; copyOf?: { name: string; scenario: Scenario } }) {
  const router = useRouter();
  const initial: Values = copyOf
    ? fieldsOf(copyOf.scenario, choices)
    : {
        endpoint: endpoint ?? choices.endpoints[0]?.slug ?? "",
        cohort: "",
        customerId: "",
        from: choices.defaultWindow.from,
        to: choices.defaultWindow.to,
        growth: "1",
        candidates: [blank()],
      };
  const form = useApiForm<Values>(initial);
  const save = useApiForm({ name: copyOf ? `${copyOf.name} (copy)` : "" }, { showsFieldErrors: false });
  // The answer shown and the scenario it answers: Save keeps that scenario, not fields changed since.
  const [answered, setAnswered] = useState<{ body: ReturnType<typeof bodyOf>; result: WhatIfResult } | null>(null);
  const result = answered?.result ?? null;
  const { values, setValue, fields, error, pending } = form;

  const setCandidate = (i: number, patch: Partial<CandidateFields>) =>
    setValue(
      "candidates",
      values.candidates.map((c, j) => (j === i ? { ...c, ...patch } : c)),
    );
  const err = (path: string) => (fields[path] ? <span className="mt-1 block text-xs text-red-700">{fields[path]}</span> : null);
  const providers = [...new Set(choices.models.map((m) => m.provider))];

  async function evaluate(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const body = bodyOf(values, choices);
    const r = await form.submit<WhatIfResult>("/api/v1/whatif", "POST", body, { refresh: false });
    setAnswered(r.ok ? { body, result: r.data } : null);
  }

  async function saveScenario(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (!answered) return;
    const r = await save.submit<{ id: string }>("/api/v1/scenarios", "POST", { name: save.values.name, scenario: answered.body }, { refresh: false });
    if (r.ok) router.push(`/whatif/${r.data.id}`);
  }

  return (
    <div className="grid gap-4">
      <form onSubmit={evaluate} aria-label="What if" className="grid gap-4">
        {error ? (
          <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
            {error}
          </p>
        ) : null}
        <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-6">
          <label className="block lg:col-span-2">
            <span className={labelText}>Endpoint</span>
            <select value={values.endpoint} onChange={(e) => setValue("endpoint", e.target.value)} className={input}>
              {choices.endpoints.map((ep) => (
                <option key={ep.slug} value={ep.slug}>
                  {ep.slug}
                </option>
              ))}
            </select>
            {err("endpoint")}
          </label>
          <label className="block">
            <span className={labelText}>Cohort (optional)</span>
            <input value={values.cohort} onChange={(e) => setValue("cohort", e.target.value)} className={input} list="whatif-cohorts" placeholder="all" />
            <datalist id="whatif-cohorts">
              {choices.cohorts.map((c) => (
                <option key={c} value={c} />
              ))}
            </datalist>
            {err("cohort")}
          </label>
          <label className="block">
            <span className={labelText}>Customer (optional)</span>
            <input value={values.customerId} onChange={(e) => setValue("customerId", e.target.value)} className={input} placeholder="all" />
            {err("customerId")}
          </label>
          <label className="block">
            <span className={labelText}>From</span>
            <input type="date" value={values.from} onChange={(e) => setValue("from", e.target.value)} className={input} />
            {err("from")}
          </label>
          <label className="block">
            <span className={labelText}>To</span>
            <input type="date" value={values.to} onChange={(e) => setValue("to", e.target.value)} className={input} />
            {err("to")}
          </label>
          <label className="block">
            <span className={labelText}>Growth multiple</span>
            <input value={values.growth} onChange={(e) => setValue("growth", e.target.value)} inputMode="decimal" className={input} />
            {err("growth")}
          </label>
          <p className="self-end text-xs text-slate-500 sm:col-span-2 lg:col-span-5">
            The window is local dates in {choices.defaultWindow.timezone}, at most 31 days; by default the last complete week ({choices.defaultWindow.from} to{" "}
            {choices.defaultWindow.to}).
          </p>
        </div>
        {err("candidates")}
        <ol className="grid gap-3">
          {values.candidates.map((c, i) => {
            const p = `candidates.${i}`;
            const model = c.model === "" ? undefined : choices.models[Number(c.model)];
            const tiers = model ? model.serviceTiers : choices.serviceTiers;
            return (
              <li key={i} className="rounded-md border border-slate-200 p-3" aria-label={`Candidate ${i + 1}`} data-testid={`candidate-${i + 1}`}>
                <div className="mb-2 flex flex-wrap items-center justify-between gap-2">
                  <h3 className="text-sm font-semibold">Candidate {i + 1}</h3>
                  <div className="flex flex-wrap items-center gap-3 text-sm">
                    <label className="flex items-center gap-1.5">
                      <input type="checkbox" checked={c.selfHosted} onChange={(e) => setCandidate(i, { selfHosted: e.target.checked })} />
                      Self-hosted GPUs
                    </label>
                    {values.candidates.length > 1 ? (
                      <button
                        type="button"
                        className="rounded-md border border-slate-300 bg-white px-2 py-1 text-xs hover:bg-slate-50"
                        onClick={() => setValue("candidates", values.candidates.filter((_, j) => j !== i))}
                      >
                        Remove
                      </button>
                    ) : null}
                  </div>
                </div>
                <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
                  <label className="block">
                    <span className={labelText}>Name</span>
                    <input value={c.name} onChange={(e) => setCandidate(i, { name: e.target.value })} className={input} placeholder={`Candidate ${i + 1}`} />
                    {err(`${p}.name`)}
                  </label>
                  {c.selfHosted ? (
                    <>
                      <label className="block">
                        <span className={labelText}>GPU $/hour</span>
                        <input value={c.hourlyUsd} onChange={(e) => setCandidate(i, { hourlyUsd: e.target.value })} inputMode="decimal" className={input} placeholder="2.50" />
                        {err(`${p}.selfHosted.hourlyUsd`)}
                        {err(`${p}.selfHosted`)}
                      </label>
                      <label className="block">
                        <span className={labelText}>Throughput per GPU</span>
                        <span className="flex gap-1">
                          <input value={c.throughput} onChange={(e) => setCandidate(i, { throughput: e.target.value })} inputMode="decimal" className={input} aria-label="Throughput per GPU" />
                          <select
                            value={c.throughputKind}
                            onChange={(e) => setCandidate(i, { throughputKind: e.target.value as CandidateFields["throughputKind"] })}
                            className="rounded-md border border-slate-300 px-1 py-1.5 text-sm"
                            aria-label="Throughput unit"
                          >
                            <option value="tokens">tokens/s</option>
                            <option value="requests">requests/s</option>
                          </select>
                        </span>
                        {err(`${p}.selfHosted.tokensPerSecondPerGpu`)}
                        {err(`${p}.selfHosted.requestsPerSecond`)}
                      </label>
                      <label className="block">
                        <span className={labelText}>Target utilisation (%)</span>
                        <input value={c.targetUtilisationPct} onChange={(e) => setCandidate(i, { targetUtilisationPct: e.target.value })} inputMode="decimal" className={input} />
                        {err(`${p}.selfHosted.targetUtilisationPct`)}
                      </label>
                    </>
                  ) : (
                    <>
                      <label className="block sm:col-span-2">
                        <span className={labelText}>Model</span>
                        <select value={c.model} onChange={(e) => setCandidate(i, { model: e.target.value, serviceTier: "" })} className={input}>
                          <option value="">As served today</option>
                          {providers.map((prov) => (
                            <optgroup key={prov} label={prov}>
                              {choices.models.map((m, j) =>
                                m.provider === prov ? (
                                  <option key={j} value={String(j)}>
                                    {m.model}
                                  </option>
                                ) : null,
                              )}
                            </optgroup>
                          ))}
                        </select>
                        {err(`${p}.provider`)}
                        {err(`${p}.model`)}
                      </label>
                      <label className="block">
                        <span className={labelText}>Service tier</span>
                        <select value={c.serviceTier} onChange={(e) => setCandidate(i, { serviceTier: e.target.value })} className={input}>
                          <option value="">As served today</option>
                          {tiers.map((t) => (
                            <option key={t} value={t}>
                              {t}
                            </option>
                          ))}
                        </select>
                        {err(`${p}.serviceTier`)}
                      </label>
                    </>
                  )}
                  <label className="block">
                    <span className={labelText}>Prompt growth (%)</span>
                    <input value={c.promptGrowthPct} onChange={(e) => setCandidate(i, { promptGrowthPct: e.target.value })} inputMode="decimal" className={input} placeholder="0" />
                    {err(`${p}.promptGrowthPct`)}
                  </label>
                  <label className="block">
                    <span className={labelText}>Cache-hit rate (%)</span>
                    <input value={c.cacheHitRatePct} onChange={(e) => setCandidate(i, { cacheHitRatePct: e.target.value })} inputMode="decimal" className={input} placeholder="as today" />
                    {err(`${p}.cacheHitRatePct`)}
                  </label>
                  <label className="block">
                    <span className={labelText}>Output scale (%)</span>
                    <input value={c.outputScalePct} onChange={(e) => setCandidate(i, { outputScalePct: e.target.value })} inputMode="decimal" className={input} placeholder="100" />
                    {err(`${p}.outputScalePct`)}
                  </label>
                  <label className="block">
                    <span className={labelText}>Output cap (tokens per call)</span>
                    <input value={c.outputCap} onChange={(e) => setCandidate(i, { outputCap: e.target.value })} inputMode="numeric" className={input} placeholder="none" />
                    {err(`${p}.outputCap`)}
                  </label>
                </div>
              </li>
            );
          })}
        </ol>
        <div className="flex flex-wrap gap-2">
          {values.candidates.length < MAX_CANDIDATES ? (
            <button
              type="button"
              className="rounded-md border border-slate-300 bg-white px-3 py-1.5 hover:bg-slate-50"
              onClick={() => setValue("candidates", [...values.candidates, blank()])}
            >
              Add a candidate
            </button>
          ) : null}
          <button type="submit" disabled={pending} className="rounded-md bg-slate-900 px-3 py-1.5 font-medium text-white hover:bg-slate-700 disabled:opacity-50">
            {pending ? "Replaying…" : "Evaluate"}
          </button>
        </div>
      </form>
      {result ? (
        <section aria-label="Comparison" className="grid gap-3 border-t border-slate-200 pt-4">
          <WhatIfComparison result={result} />
          {choices.maySave ? (
            <form onSubmit={saveScenario} aria-label="Save the scenario" className="flex flex-wrap items-end gap-2">
              <label className="block min-w-0 flex-1 sm:max-w-sm">
                <span className={labelText}>Name</span>
                <input value={save.values.name} onChange={(e) => save.setValue("name", e.target.value)} className={input} placeholder="mini on batch" />
              </label>
              <button type="submit" disabled={save.pending} className="rounded-md bg-slate-900 px-3 py-1.5 font-medium text-white hover:bg-slate-700 disabled:opacity-50">
                Save
              </button>
              {save.error ? (
                <p role="alert" className="w-full text-sm text-red-700">
                  {save.error}
                </p>
              ) : null}
            </form>
          ) : (
            <p className="text-xs text-slate-500">Owners and admins save scenarios to share them by link.</p>
          )}
        </section>
      ) : null}
    </div>
  );
}
