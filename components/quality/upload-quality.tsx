"use client";
// Upload a CSV of daily quality metrics: parsed in the browser, sent to POST /api/v1/quality with the
// session; rejected rows are listed on their file line with the field at fault.
import { useState } from "react";
import { callApi } from "@/components/ui/api";
import { parseQualityCsv, QUALITY_CSV_COLUMNS, type QualityRejected } from "@/lib/quality/quality-row";

type Outcome = { accepted: number; problems: string[] } | { error: string };

export function UploadQuality() {
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [busy, setBusy] = useState(false);
  const upload = async (file: File) => {
    setBusy(true);
    setOutcome(null);
    const csv = parseQualityCsv(await file.text());
    if (csv.fileError) {
      setOutcome({ error: `${file.name}: ${csv.fileError}` });
      setBusy(false);
      return;
    }
    let accepted = 0;
    const problems: string[] = [];
    for (let i = 0; i < csv.rows.length; i += 1000) {
      const r = await callApi<{ accepted: number; rejected: QualityRejected[] }>("/api/v1/quality", { method: "POST", body: { rows: csv.rows.slice(i, i + 1000) } });
      if (!r.ok) {
        setOutcome({ error: r.message });
        setBusy(false);
        return;
      }
      accepted += r.data.accepted;
      for (const rej of r.data.rejected) {
        for (const e of rej.errors) problems.push(`line ${csv.lines[i + rej.index]}: ${e.path.replace(/^rows\.\d+\.?/, "") || "row"}: ${e.message}`);
      }
    }
    setOutcome({ accepted, problems });
    setBusy(false);
  };
  return (
    <section className="mt-6 rounded-lg border border-slate-200 bg-white p-4" aria-label="Upload quality metrics">
      <h2 className="font-semibold">Quality metrics</h2>
      <p className="mt-1 text-slate-600">
        A CSV with the header <code className="break-all font-mono text-xs">{QUALITY_CSV_COLUMNS.join(",")}</code>: one row per day, endpoint, cohort (empty = the
        whole endpoint) and metric, with <code>value</code> (the success rate, 0 to 1) or <code>successes</code>, and <code>samples</code>. Uploading a
        day again replaces it.
      </p>
      <label className="mt-3 inline-block cursor-pointer rounded-md border border-slate-300 px-3 py-1.5 hover:bg-slate-50">
        {busy ? "Uploading…" : "Choose a quality CSV"}
        <input
          type="file"
          accept=".csv,text/csv"
          className="sr-only"
          aria-label="Quality CSV file"
          disabled={busy}
          onChange={(e) => {
            const f = e.target.files?.[0];
            if (f) void upload(f);
            e.target.value = "";
          }}
        />
      </label>
      {outcome && "error" in outcome ? <p className="mt-3 text-red-700">{outcome.error}</p> : null}
      {outcome && "accepted" in outcome ? (
        <div className="mt-3" role="status">
          <p>
            {outcome.accepted} row{outcome.accepted === 1 ? "" : "s"} stored, {outcome.problems.length ? `${outcome.problems.length} problem${outcome.problems.length === 1 ? "" : "s"}` : "none rejected"}.
          </p>
          {outcome.problems.length ? (
            <ul className="mt-1 list-disc pl-5 text-sm text-red-700">
              {outcome.problems.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}
