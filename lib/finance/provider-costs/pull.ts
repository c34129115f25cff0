// Pulling a provider's cost report with its admin key: every page (following `next_page` while `has_more`),
// each retried on 429 and 5xx with back-off that honours Retry-After, a bounded number of times. Keys are
// sent only in the request headers and never appear in an error or a log line.
//
// - OpenAI: GET {OPENAI_API_BASE_URL}/v1/organization/costs?start_time&end_time&bucket_width=1d&group_by=line_item
//   &limit=180[&page], header `Authorization: Bearer <OPENAI_ADMIN_KEY>`.
// - Anthropic: GET {ANTHROPIC_API_BASE_URL}/v1/organizations/cost_report?starting_at&ending_at&bucket_width=1d
//   &group_by[]=description&limit=31[&page], headers `x-api-key: <ANTHROPIC_ADMIN_KEY>`, `anthropic-version: 2023-06-01`.
import { AppError, badRequest } from "@/lib/errors";
import { env } from "@/lib/env";
import { parseRetryAfter } from "@/lib/http/retry-after";
import { parseProviderCosts, type ProviderCostRow } from "@/lib/finance/provider-costs/parse";
import type { ReportProvider } from "@/lib/finance/schemas";

export const MAX_TRIES = 5;
const MAX_PAGES = 200;
const MAX_WAIT_MS = 60_000;

export type PullOptions = {
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  /** Overrides of the environment, for a caller that holds them elsewhere. */
  key?: string;
  baseUrl?: string;
};

const upstream = (message: string) => new AppError("upstream_error", 502, message);

function firstUrl(provider: ReportProvider, base: string, from: string, to: string): URL {
  const root = base.replace(/\/+$/, "");
  if (provider === "openai") {
    const u = new URL(`${root}/v1/organization/costs`);
    u.searchParams.set("start_time", String(Date.parse(`${from}T00:00:00Z`) / 1000));
    u.searchParams.set("end_time", String(Date.parse(`${to}T00:00:00Z`) / 1000));
    u.searchParams.set("bucket_width", "1d");
    u.searchParams.set("group_by", "line_item");
    u.searchParams.set("limit", "180");
    return u;
  }
  const u = new URL(`${root}/v1/organizations/cost_report`);
  u.searchParams.set("starting_at", `${from}T00:00:00Z`);
  u.searchParams.set("ending_at", `${to}T00:00:00Z`);
  u.searchParams.set("bucket_width", "1d");
  u.searchParams.append("group_by[]", "description");
  u.searchParams.set("limit", "31");
  return u;
}

/** All response pages of the provider's cost report for the UTC days from … to (exclusive), as returned. */
export async function pullProviderCostPages(provider: ReportProvider, from: string, to: string, opts: PullOptions = {}): Promise<unknown[]> {
  const e = env();
  const key = opts.key ?? (provider === "openai" ? e.OPENAI_ADMIN_KEY : e.ANTHROPIC_ADMIN_KEY);
  const base = opts.baseUrl ?? (provider === "openai" ? e.OPENAI_API_BASE_URL : e.ANTHROPIC_API_BASE_URL);
  const name = provider === "openai" ? "OPENAI_ADMIN_KEY" : "ANTHROPIC_ADMIN_KEY";
  if (!key) throw badRequest(`No admin key for ${provider}: set ${name} in the app's environment.`, [{ path: "provider", message: `${name} is not set` }]);
  const doFetch = opts.fetch ?? fetch;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const headers: Record<string, string> =
    provider === "openai" ? { Authorization: `Bearer ${key}` } : { "x-api-key": key, "anthropic-version": "2023-06-01" };
  const first = firstUrl(provider, base, from, to);
  const pages: unknown[] = [];
  let page: string | null = null;
  do {
    const url = new URL(first);
    if (page) url.searchParams.set("page", page);
    const body = await getWithRetry(doFetch, sleep, url, headers, provider, pages.length + 1);
    pages.push(body);
    const { has_more, next_page } = (body ?? {}) as { has_more?: unknown; next_page?: unknown };
    page = has_more === true && typeof next_page === "string" && next_page !== "" ? next_page : null;
    if (has_more === true && !page) throw upstream(`${provider} answered has_more without a next_page on page ${pages.length}.`);
    if (pages.length >= MAX_PAGES && page) throw upstream(`${provider} answered more than ${MAX_PAGES} pages; pull a shorter range.`);
  } while (page);
  return pages;
}

async function getWithRetry(
  doFetch: typeof fetch,
  sleep: (ms: number) => Promise<void>,
  url: URL,
  headers: Record<string, string>,
  provider: ReportProvider,
  pageNo: number,
): Promise<unknown> {
  let last = "";
  for (let attempt = 1; attempt <= MAX_TRIES; attempt++) {
    let res: Response | null = null;
    try {
      res = await doFetch(url, { headers: { ...headers, Accept: "application/json" }, signal: AbortSignal.timeout(30_000) });
    } catch (err) {
      last = `could not be reached (${(err as Error).name})`;
    }
    if (res) {
      if (res.ok) {
        try {
          return await res.json();
        } catch {
          throw upstream(`${provider} answered page ${pageNo} with a body that is not JSON.`);
        }
      }
      await res.body?.cancel();
      last = `answered ${res.status}`;
      if (res.status !== 429 && res.status < 500) {
        const hint = res.status === 401 || res.status === 403 ? ": check the admin key" : "";
        throw upstream(`${provider} answered ${res.status} for page ${pageNo}${hint}.`);
      }
    }
    if (attempt < MAX_TRIES) await sleep(Math.min(parseRetryAfter(res?.headers.get("retry-after")) ?? 500 * 2 ** (attempt - 1), MAX_WAIT_MS));
  }
  throw upstream(`${provider} ${last} for page ${pageNo} ${MAX_TRIES} times; try again later.`);
}

/** Pull and parse: the report's rows (with how many pages were read); a page the parser refuses is a 502. */
export async function pullProviderCosts(provider: ReportProvider, from: string, to: string, opts: PullOptions = {}): Promise<ProviderCostRow[] & { pages: number }> {
  const pages = await pullProviderCostPages(provider, from, to, opts);
  try {
    return Object.assign(parseProviderCosts(provider, pages), { pages: pages.length });
  } catch (err) {
    if (err instanceof AppError && err.status === 400) throw upstream(`${provider}'s report was not understood: ${err.message}`);
    throw err;
  }
}
