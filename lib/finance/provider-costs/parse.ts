// Provider cost reports → rows per provider, UTC day and report line, in exact USD.
//
// - OpenAI, organisation Costs API (GET /v1/organization/costs): 1-day buckets of `start_time`/`end_time`
//   (Unix seconds) holding results with `amount {value, currency}` (value a JSON number in the currency,
//   lowercase "usd"), and, when grouped, `line_item` ("gpt-4o-2024-08-06, input") and `project_id`. The model
//   is the line item's part before its first ", "; a result without a line item has no model. The number is
//   read through its shortest decimal text, never through float arithmetic.
// - Anthropic, Admin API cost report (GET /v1/organizations/cost_report): 1-day buckets of `starting_at`/
//   `ending_at` (RFC 3339) holding results with `amount`, a decimal string in the currency's lowest unit
//   (cents for USD: "123.45" is $1.2345), `currency`, and the grouping fields (model, cost_type, token_type,
//   service_tier, context_window, workspace_id, description).
// - Only USD and only whole UTC-day buckets are accepted; anything else is a 400 naming the field, because a
//   converted or re-bucketed amount would be a guess. Results that share a day and line are added up.
import { z } from "zod";
import { badRequest } from "@/lib/errors";
import {
  anthropicCostReportPageSchema,
  openAiCostsPageSchema,
  type AnthropicCostReportPage,
  type OpenAiCostsPage,
  type ReportProvider,
} from "@/lib/finance/schemas";
import { validationError, labelsOf } from "@/lib/http/validation";
import { Dec, toDecimalString } from "@/lib/pricing/price-entry";

export type ProviderCostRow = { provider: ReportProvider; day: string; lineKey: string; model: string | null; amountUsd: string };

const DAY_MS = 86_400_000;
const MAX_AMOUNT = new Dec("1e12");

type Issue = { path: PropertyKey[]; message: string; code: "custom" };
const issue = (path: PropertyKey[], message: string): Issue => ({ path, message, code: "custom" });

/** The UTC day a bucket covers, or null when it is not exactly one whole UTC day. */
function dayOf(startMs: number, endMs: number): string | null {
  if (startMs % DAY_MS !== 0 || endMs - startMs !== DAY_MS) return null;
  return new Date(startMs).toISOString().slice(0, 10);
}

function parsePage<T extends z.ZodType>(schema: T, page: unknown, at: PropertyKey[]): z.output<T> {
  const r = schema.safeParse(page);
  if (!r.success) {
    const issues = r.error.issues.map((i) => ({ ...i, path: [...at, ...i.path] }));
    throw validationError(issues as never, { pages: [page] }, { ...labelsOf(schema), what: "provider cost report" });
  }
  return r.data;
}

/** An amount as exact decimal text; negative amounts (credits) are kept with their sign. */
function exact(value: unknown): { ok: true; value: Dec } | { ok: false; error: string } {
  // A JSON number through its shortest decimal text (1e-7 written out as 0.0000001), never float arithmetic.
  const text = typeof value === "number" ? (Number.isFinite(value) ? new Dec(String(value)).toFixed() : value) : typeof value === "string" ? value.trim() : value;
  const negative = typeof text === "string" && text.startsWith("-");
  const r = toDecimalString(negative ? (text as string).slice(1) : text, { max: MAX_AMOUNT, maxFractionDigits: 12 });
  if (!r.ok) return r;
  const d = new Dec(r.value);
  return { ok: true, value: negative ? d.negated() : d };
}

function add(rows: Map<string, ProviderCostRow & { sum: Dec }>, row: Omit<ProviderCostRow, "amountUsd">, amount: Dec) {
  const key = `${row.day}\u0000${row.lineKey}`;
  const prev = rows.get(key);
  if (prev) prev.sum = prev.sum.plus(amount);
  else rows.set(key, { ...row, amountUsd: "", sum: amount });
}

function finish(rows: Map<string, ProviderCostRow & { sum: Dec }>): ProviderCostRow[] {
  return [...rows.values()].map(({ sum, ...r }) => ({ ...r, amountUsd: sum.toFixed() }));
}

export function parseOpenAiCosts(pages: readonly unknown[]): ProviderCostRow[] {
  const rows = new Map<string, ProviderCostRow & { sum: Dec }>();
  const issues: Issue[] = [];
  pages.forEach((raw, p) => {
    const page: OpenAiCostsPage = parsePage(openAiCostsPageSchema, raw, ["pages", p]);
    page.data.forEach((bucket, b) => {
      const at = ["pages", p, "data", b];
      const day = dayOf(bucket.start_time * 1000, bucket.end_time * 1000);
      if (!day) return void issues.push(issue([...at, "start_time"], "start_time … end_time must be one whole UTC day (bucket_width=1d)"));
      bucket.results.forEach((res, r) => {
        if (res.amount.currency.toLowerCase() !== "usd") return void issues.push(issue([...at, "results", r, "amount", "currency"], `amount.currency must be usd (got "${res.amount.currency.slice(0, 10)}")`));
        const amount = exact(res.amount.value);
        if (!amount.ok) return void issues.push(issue([...at, "results", r, "amount", "value"], `amount.value ${amount.error}`));
        const lineItem = res.line_item ?? null;
        const model = lineItem ? lineItem.split(", ")[0]!.trim() || null : null;
        add(rows, { provider: "openai", day, lineKey: JSON.stringify([lineItem, res.project_id ?? null]), model }, amount.value);
      });
    });
  });
  if (issues.length) throw validationError(issues as never, { pages }, { what: "provider cost report" });
  return finish(rows);
}

export function parseAnthropicCostReport(pages: readonly unknown[]): ProviderCostRow[] {
  const rows = new Map<string, ProviderCostRow & { sum: Dec }>();
  const issues: Issue[] = [];
  pages.forEach((raw, p) => {
    const page: AnthropicCostReportPage = parsePage(anthropicCostReportPageSchema, raw, ["pages", p]);
    page.data.forEach((bucket, b) => {
      const at = ["pages", p, "data", b];
      const day = dayOf(Date.parse(bucket.starting_at), Date.parse(bucket.ending_at));
      if (!day) return void issues.push(issue([...at, "starting_at"], "starting_at … ending_at must be one whole UTC day (bucket_width=1d)"));
      bucket.results.forEach((res, r) => {
        if (res.currency.toUpperCase() !== "USD") return void issues.push(issue([...at, "results", r, "currency"], `currency must be USD (got "${res.currency.slice(0, 10)}")`));
        const cents = exact(res.amount);
        if (!cents.ok) return void issues.push(issue([...at, "results", r, "amount"], `amount ${cents.error}`));
        const lineKey = JSON.stringify([res.workspace_id ?? null, res.description ?? null, res.cost_type ?? null, res.model ?? null, res.token_type ?? null, res.service_tier ?? null, res.context_window ?? null]);
        add(rows, { provider: "anthropic", day, lineKey, model: res.model ?? null }, cents.value.dividedBy(100));
      });
    });
  });
  if (issues.length) throw validationError(issues as never, { pages }, { what: "provider cost report" });
  return finish(rows);
}

export function parseProviderCosts(provider: ReportProvider, pages: readonly unknown[]): ProviderCostRow[] {
  return provider === "openai" ? parseOpenAiCosts(pages) : parseAnthropicCostReport(pages);
}

/**
 * A file's JSON as an import: {provider, pages}, one response page, or an array of pages; the provider is
 * read from the buckets' shape when not named (start_time: OpenAI; starting_at: Anthropic).
 */
export function importOf(json: unknown): { provider: ReportProvider; pages: unknown[] } {
  if (json && typeof json === "object" && !Array.isArray(json) && "pages" in json) {
    const { provider, pages } = json as { provider?: unknown; pages?: unknown };
    if (provider !== "openai" && provider !== "anthropic") throw badRequest("provider must be openai or anthropic", [{ path: "provider", message: "must be openai or anthropic" }]);
    if (!Array.isArray(pages)) throw badRequest("pages must be an array of response pages", [{ path: "pages", message: "must be an array" }]);
    return { provider, pages };
  }
  const pages = Array.isArray(json) ? json : [json];
  for (const page of pages) {
    const first = (page as { data?: unknown[] } | null)?.data?.[0] as Record<string, unknown> | undefined;
    if (first && "start_time" in first) return { provider: "openai", pages };
    if (first && "starting_at" in first) return { provider: "anthropic", pages };
  }
  throw badRequest("Name the provider: the file's buckets show neither OpenAI's start_time nor Anthropic's starting_at.", [
    { path: "provider", message: "must be openai or anthropic" },
  ]);
}
