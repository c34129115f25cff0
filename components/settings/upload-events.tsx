"use client";
// Upload a CSV or NDJSON file of cost events: parsed and previewed in the browser, then sent to the
// ingest API in batches with the session; the summary lists every rejected row on its file line.
import { useState } from "react";
import { CSV_COLUMNS, formatOf, parseEventsFile, type ParsedFile } from "@/lib/ingest/csv-row";
import { DEFAULT_BATCH_SIZE, eventsPoster, uploadHeadline, uploadParsedFile, type UploadSummary } from "@/lib/ingest/upload-file";
import { TableBox } from "@/components/ui/table-box";

const PREVIEW_ROWS = 20;

type Chosen = { name: string; parsed: ParsedFile };
type Progress = { sent: number; total: number };

/** Column names and cell texts for the preview: CSV columns as in the file, NDJSON fields flattened. */
function preview(parsed: ParsedFile): { columns: string[]; rows: { line: number; cells: Record<string, string> }[] } {
  const rows = parsed.rows.slice(0, PREVIEW_ROWS).map((r) => {
    const cells: Record<string, string> = {};
    if (r.event && typeof r.event === "object" && !Array.isArray(r.event)) {
      for (const [key, value] of Object.entries(r.event as Record<string, unknown>)) {
        if (key === "usage" && value && typeof value === "object" && !Array.isArray(value)) {
          for (const [bucket, count] of Object.entries(value as Record<string, unknown>)) cells[bucket] = text(count);
        } else {
          cells[key] = text(value);
        }
      }
    } else {
      cells.id = text(r.event);
    }
    return { line: r.line, cells };
  });
  if (parsed.columns) return { columns: parsed.columns, rows };
  const seen = new Set(rows.flatMap((r) => Object.keys(r.cells)));
  const known: string[] = CSV_COLUMNS.filter((c) => seen.has(c));
  const others = [...seen].filter((k) => !known.includes(k)).sort();
  return { columns: [...known, ...others], rows };
}

function text(value: unknown): string {
  if (value === undefined || value === null) return "";
  return typeof value === "string" ? value : JSON.stringify(value);
}

export function UploadEvents() {
  const [chosen, setChosen] = useState<Chosen | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [progress, setProgress] = useState<Progress | null>(null);
  const [uploading, setUploading] = useState(false);
  const [summary, setSummary] = useState<UploadSummary | null>(null);

  async function choose(e: React.ChangeEvent<HTMLInputElement>) {
    const file = e.currentTarget.files?.[0];
    setChosen(null);
    setSummary(null);
    setProgress(null);
    setError(null);
    if (!file) return;
    const format = formatOf(file.name);
    if (!format) {
      setError(`${file.name} is not a .csv, .ndjson or .jsonl file.`);
      return;
    }
    setChosen({ name: file.name, parsed: parseEventsFile(await file.text(), format) });
  }

  async function upload() {
    if (!chosen) return;
    setUploading(true);
    setSummary(null);
    setError(null);
    setProgress({ sent: 0, total: chosen.parsed.rows.length });
    try {
      const send = eventsPoster("/api/v1/events", { maxAttempts: 5 });
      const result = await uploadParsedFile(chosen.parsed, send, {
        batchSize: DEFAULT_BATCH_SIZE,
        onProgress: (p) => setProgress({ sent: p.sent, total: p.total }),
      });
      setSummary(result);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setUploading(false);
    }
  }

  const parsed = chosen?.parsed;
  const table = parsed && !parsed.fileError ? preview(parsed) : null;
  const percent = progress && progress.total > 0 ? Math.round((100 * progress.sent) / progress.total) : 0;

  return (
    <div className="space-y-6">
      <section className="rounded-lg border border-slate-200 bg-white p-4">
        <label className="block">
          <span className="mb-1 block font-medium">Event file</span>
          <input
            type="file"
            accept=".csv,.ndjson,.jsonl,text/csv,application/x-ndjson"
            onChange={(e) => void choose(e)}
            disabled={uploading}
            className="block text-slate-700 file:mr-3 file:rounded-md file:border-0 file:bg-slate-900 file:px-3 file:py-1.5 file:font-medium file:text-white hover:file:bg-slate-700"
          />
        </label>
        <p className="mt-2 text-slate-600">
          A CSV with a header row, or NDJSON with one event per line as the ingest API takes it. Every row needs an id:
          uploading the same file again stores nothing twice.
        </p>
        <details className="mt-2 text-slate-600">
          <summary className="cursor-pointer">CSV columns</summary>
          <p className="mt-1">
            In any order; <code>id</code> and <code>timestamp</code> (ISO 8601 with a zone) are required, an empty cell means
            “not set”, token columns go into the event’s usage, and <code>costUsd</code> is kept as an exact decimal:
          </p>
          <code className="mt-1 block break-all rounded bg-slate-50 p-2 font-mono text-xs">{CSV_COLUMNS.join(",")}</code>
        </details>
      </section>

      {error ? <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-red-700">{error}</p> : null}

      {parsed?.fileError ? (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-red-700">
          {chosen?.name}: {parsed.fileError}
        </p>
      ) : null}

      {parsed && table ? (
        <section aria-label="Preview" className="space-y-3">
          <div className="flex flex-wrap items-center justify-between gap-3">
            <p data-testid="row-count">
              <span className="font-medium">{chosen?.name}</span>: {parsed.rowCount} row{parsed.rowCount === 1 ? "" : "s"}
              {parsed.rowCount > PREVIEW_ROWS ? `, the first ${PREVIEW_ROWS} shown` : ""}
              {parsed.errors.length ? (
                <span className="text-amber-700">
                  {" "}
                  ({parsed.errors.length} cannot be read and will be listed as rejected)
                </span>
              ) : null}
            </p>
            <button
              type="button"
              onClick={() => void upload()}
              disabled={uploading || parsed.rows.length === 0}
              className="rounded-md bg-slate-900 px-3 py-1.5 font-medium text-white hover:bg-slate-700 disabled:opacity-50"
            >
              {uploading ? "Uploading…" : summary ? "Upload again" : "Upload"}
            </button>
          </div>
          <TableBox className="rounded-lg border border-slate-200">
            <table className="w-full text-left text-xs" aria-label="Preview of the file">
              <thead className="bg-slate-50 uppercase tracking-wide text-slate-500">
                <tr>
                  <th className="px-2 py-1.5">Line</th>
                  {table.columns.map((c) => (
                    <th key={c} className="px-2 py-1.5 normal-case">{c}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {table.rows.map((r) => (
                  <tr key={r.line} className="border-t border-slate-100">
                    <td className="px-2 py-1 text-slate-500">{r.line}</td>
                    {table.columns.map((c) => (
                      <td key={c} className="max-w-56 truncate px-2 py-1 font-mono">{r.cells[c] ?? ""}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </TableBox>
        </section>
      ) : null}

      {progress ? (
        <div className="space-y-1">
          <div
            role="progressbar"
            aria-label="Upload progress"
            aria-valuemin={0}
            aria-valuemax={progress.total}
            aria-valuenow={progress.sent}
            className="h-2 overflow-hidden rounded-full bg-slate-200"
          >
            <div className="h-full bg-emerald-600 transition-all" style={{ width: `${percent}%` }} />
          </div>
          <p className="text-xs text-slate-600">
            {progress.sent} of {progress.total} rows sent
          </p>
        </div>
      ) : null}

      {summary ? <Summary summary={summary} /> : null}
    </div>
  );
}

function Summary({ summary }: { summary: UploadSummary }) {
  const figures = [
    ["Accepted", summary.accepted],
    ["Duplicates", summary.duplicates],
    ["Unpriced", summary.unpriced],
    ["Rejected", summary.rejected],
  ] as const;
  return (
    <section aria-label="Upload summary" className="space-y-3">
      {summary.failure ? <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-red-700">{summary.failure}</p> : null}
      <div role="status" className="rounded-md border border-slate-200 bg-white p-3">
        <p className="font-medium" data-testid="upload-headline">{uploadHeadline(summary)}</p>
        <dl className="mt-2 flex flex-wrap gap-6">
          {figures.map(([label, n]) => (
            <div key={label}>
              <dt className="text-xs uppercase tracking-wide text-slate-500">{label}</dt>
              <dd className="text-lg font-semibold tabular-nums" data-testid={`summary-${label.toLowerCase()}`}>{n}</dd>
            </div>
          ))}
        </dl>
        {summary.duplicates ? <p className="mt-2 text-slate-600">Duplicates were stored before and were not stored again.</p> : null}
        {summary.unpriced ? (
          <p className="mt-2 text-slate-600">Unpriced events are stored without a cost: the price book has no price for their model.</p>
        ) : null}
      </div>
      {summary.errors.length ? (
        <h2 className="pt-2 font-semibold">Rejected rows</h2>
      ) : null}
      {summary.errors.length ? (
        <TableBox>
        <table className="w-full text-left" aria-label="Rejected rows">
          <thead className="text-xs uppercase tracking-wide text-slate-500">
            <tr>
              <th className="py-2 pr-4">Line</th>
              <th className="py-2 pr-4">Id</th>
              <th className="py-2 pr-4">Field</th>
              <th className="py-2 pr-4">Problem</th>
            </tr>
          </thead>
          <tbody>
            {summary.errors.map((e, i) => (
              <tr key={`${e.line}-${i}`} className="border-t border-slate-100 align-top">
                <td className="py-2 pr-4 tabular-nums">{e.line}</td>
                <td className="py-2 pr-4 font-mono">{e.id ?? ""}</td>
                <td className="py-2 pr-4 font-mono">{e.field ?? "(row)"}</td>
                <td className="py-2 pr-4">{e.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
        </TableBox>
      ) : null}
    </section>
  );
}
