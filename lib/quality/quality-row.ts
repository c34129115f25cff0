// One quality row as the API, the CSV upload and the CLI take it. Shared by the browser and the server,
// so it imports nothing of Node. Every metric is a success rate: give `value` (the rate, 0..1) or
// `successes` (how many of `samples` succeeded), not both.
import { Decimal } from "decimal.js";
import { parse as parseCsv } from "csv-parse/browser/esm/sync";
import type { FieldError } from "@/lib/errors";

export type QualityRow = {
  day: string;
  endpoint: string;
  cohort: string | null;
  metric: string;
  samples: number;
  /** The rate, rounded to 12 decimal places. */
  value: string;
  /** Exact when given; value × samples when the rate was given. */
  successes: string;
};

export type QualityRejected = { index: number; line?: number; errors: FieldError[] };

export const QUALITY_CSV_COLUMNS = ["day", "endpoint", "cohort", "metric", "value", "successes", "samples"] as const;

const SLUG = /^[A-Za-z0-9][A-Za-z0-9_.:/-]{0,199}$/;
const METRIC = /^[a-z][a-z0-9_]{0,63}$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const PLAIN_DECIMAL = /^\d+(\.\d+)?$/;

function decimalOf(v: unknown): Decimal | null {
  if (typeof v === "number" && Number.isFinite(v)) return new Decimal(String(v));
  if (typeof v === "string" && PLAIN_DECIMAL.test(v.trim())) return new Decimal(v.trim());
  return null;
}

const blank = (v: unknown) => v === undefined || v === null || v === "";

/** Validates one raw row; errors name the field as `rows.<index>.<field>`. */
export function parseQualityRow(raw: unknown, index: number): { ok: true; row: QualityRow } | { ok: false; errors: FieldError[] } {
  const at = (f: string) => `rows.${index}.${f}`;
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) return { ok: false, errors: [{ path: `rows.${index}`, message: "each row must be an object" }] };
  const r = raw as Record<string, unknown>;
  const errors: FieldError[] = [];
  const known = new Set<string>(QUALITY_CSV_COLUMNS);
  for (const k of Object.keys(r)) if (!known.has(k)) errors.push({ path: at(k), message: `unknown field; the fields are ${QUALITY_CSV_COLUMNS.join(", ")}` });

  let day = "";
  if (typeof r.day !== "string" || !DAY.test(r.day) || Number.isNaN(Date.parse(`${r.day}T00:00:00Z`)) || new Date(`${r.day}T00:00:00Z`).toISOString().slice(0, 10) !== r.day) {
    errors.push({ path: at("day"), message: `day must be a calendar date YYYY-MM-DD, got ${JSON.stringify(r.day ?? null)}` });
  } else if (r.day < "2015-01-01" || Date.parse(`${r.day}T00:00:00Z`) > Date.now() + 2 * 86_400_000) {
    errors.push({ path: at("day"), message: `day must be between 2015-01-01 and tomorrow, got ${r.day}` });
  } else day = r.day;

  if (typeof r.endpoint !== "string" || !SLUG.test(r.endpoint)) errors.push({ path: at("endpoint"), message: "endpoint is required: the endpoint tag, such as chat.answer" });
  let cohort: string | null = null;
  if (!blank(r.cohort)) {
    if (typeof r.cohort !== "string" || !SLUG.test(r.cohort)) errors.push({ path: at("cohort"), message: "cohort must be a cohort tag such as pro, or empty for the endpoint as a whole" });
    else cohort = r.cohort;
  }
  if (typeof r.metric !== "string" || !METRIC.test(r.metric)) {
    errors.push({ path: at("metric"), message: "metric must be a lower-case name of letters, digits and _, such as task_success" });
  }

  let samples = 0;
  const s = typeof r.samples === "string" && /^\d+$/.test(r.samples.trim()) ? Number(r.samples.trim()) : r.samples;
  if (typeof s !== "number" || !Number.isInteger(s) || s < 1 || s > 2_000_000_000) errors.push({ path: at("samples"), message: "samples must be a whole number of 1 or more" });
  else samples = s;

  let value: Decimal | null = null;
  let successes: Decimal | null = null;
  if (!blank(r.value) && !blank(r.successes)) {
    errors.push({ path: at("value"), message: "give value (the rate) or successes (a count), not both" });
  } else if (!blank(r.value)) {
    value = decimalOf(r.value);
    if (!value || value.gt(1) || value.decimalPlaces() > 12) {
      errors.push({ path: at("value"), message: `value must be a rate between 0 and 1 with at most 12 decimal places, such as "0.87", got ${JSON.stringify(r.value)}` });
      value = null;
    }
  } else if (!blank(r.successes)) {
    successes = decimalOf(r.successes);
    if (!successes || successes.decimalPlaces() > 12) {
      errors.push({ path: at("successes"), message: `successes must be a number of 0 or more, got ${JSON.stringify(r.successes)}` });
      successes = null;
    } else if (samples && successes.gt(samples)) {
      errors.push({ path: at("successes"), message: `successes (${successes.toFixed()}) cannot be more than samples (${samples})` });
      successes = null;
    }
  } else {
    errors.push({ path: at("value"), message: "value (the rate, 0 to 1) or successes (a count) is required" });
  }
  if (errors.length || (!value && !successes)) return { ok: false, errors };
  if (successes) value = successes.div(samples).toDecimalPlaces(12);
  else successes = value!.times(samples);
  return {
    ok: true,
    row: { day, endpoint: r.endpoint as string, cohort, metric: r.metric as string, samples, value: value!.toFixed(), successes: successes.toFixed() },
  };
}

/** A quality CSV (header required, columns from QUALITY_CSV_COLUMNS in any order) → raw rows with their file line. */
export function parseQualityCsv(text: string): { rows: Record<string, string>[]; lines: number[]; fileError: string | null } {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parseCsv(text, { relax_column_count: true, skip_empty_lines: true, info: true, trim: true, bom: true }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (err) {
    return { rows: [], lines: [], fileError: `not a readable CSV: ${(err as Error).message}` };
  }
  if (!records.length) return { rows: [], lines: [], fileError: "the file is empty; it needs a header row: day,endpoint,cohort,metric,value,samples" };
  const header = records[0]!.record.map((h) => h.trim());
  const known = new Map<string, string>(QUALITY_CSV_COLUMNS.map((c) => [c.toLowerCase(), c]));
  const columns: string[] = [];
  for (const h of header) {
    const c = known.get(h.toLowerCase());
    if (!c) return { rows: [], lines: [], fileError: `unknown column "${h}"; the columns are ${QUALITY_CSV_COLUMNS.join(", ")}` };
    columns.push(c);
  }
  for (const need of ["day", "endpoint", "metric", "samples"]) {
    if (!columns.includes(need)) return { rows: [], lines: [], fileError: `the header has no "${need}" column` };
  }
  const rows: Record<string, string>[] = [];
  const lines: number[] = [];
  for (const { record, info } of records.slice(1)) {
    const row: Record<string, string> = {};
    columns.forEach((c, i) => {
      const cell = record[i]?.trim() ?? "";
      if (cell !== "") row[c] = cell;
    });
    rows.push(row);
    lines.push(info.lines);
  }
  return { rows, lines, fileError: null };
}
