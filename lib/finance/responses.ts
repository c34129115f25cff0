// The finance API's responses: JSON, or a streamed CSV / FOCUS download.
import { z } from "zod";
import { pool } from "@/lib/db/client";
import { badRequest, fieldErrors } from "@/lib/errors";
import { orgTimezone } from "@/lib/rollups/org-settings";
import { csvLine, streamResponse } from "@/lib/finance/csv";
import { monthlyCsvCells, monthlyRollup, parseMonthlyQuery } from "@/lib/finance/monthly";
import { chargeback, chargebackCsvCells, parseChargebackQuery } from "@/lib/finance/chargeback";
import { focusCsv } from "@/lib/finance/focus";
import { reconciliation } from "@/lib/finance/reconciliation";
import { monthStatus } from "@/lib/finance/close-month";
import { parseMonth } from "@/lib/finance/months";

function formatOf(params: URLSearchParams, allowed: readonly [string, ...string[]]): string {
  const parsed = z.enum(allowed, { message: `format must be one of ${allowed.join(", ")}` }).default(allowed[0]).safeParse(params.get("format") ?? undefined);
  if (!parsed.success) throw badRequest("The download format is not valid.", fieldErrors(parsed.error.issues.map((i) => ({ ...i, path: ["format"] }))));
  return parsed.data;
}

async function* lines(cells: (string | number | null)[][], textColumns: ReadonlySet<number>): AsyncGenerator<string> {
  for (let i = 0; i < cells.length; i += 1000) yield cells.slice(i, i + 1000).map((c) => csvLine(c, textColumns)).join("");
}

const CSV = "text/csv; charset=utf-8";

export async function monthlyResponse(req: Request): Promise<Response> {
  const params = new URL(req.url).searchParams;
  const format = formatOf(params, ["json", "csv", "focus"]);
  const q = parseMonthlyQuery(params);
  if (format === "focus") return streamResponse(focusCsv(pool(), q.month, await orgTimezone(pool())), CSV, `cost-review-focus-${q.month.label}.csv`);
  const rollup = await monthlyRollup(pool(), q);
  if (format === "json") return Response.json(rollup);
  const text = new Set(q.groupBy.map((_, i) => i + 2));
  return streamResponse(lines(monthlyCsvCells(rollup), text), CSV, `cost-review-monthly-${q.month.label}-${q.groupBy.join("-") || "total"}.csv`);
}

export async function chargebackResponse(req: Request): Promise<Response> {
  const params = new URL(req.url).searchParams;
  const format = formatOf(params, ["json", "csv"]);
  const q = parseChargebackQuery(params);
  const c = await chargeback(pool(), q.month, q.by);
  if (format === "json") return Response.json(c);
  return streamResponse(lines(chargebackCsvCells(c), new Set([2])), CSV, `cost-review-chargeback-${q.month.label}-${q.by}.csv`);
}

export function monthParam(value: string | null | undefined, path = "month") {
  const m = value ? parseMonth(value) : null;
  if (!m) throw badRequest("The month is not valid.", [{ path, message: "month must be a month as YYYY-MM, e.g. 2026-10" }]);
  return m;
}

export async function reconciliationResponse(req: Request): Promise<Response> {
  const m = monthParam(new URL(req.url).searchParams.get("month"));
  return Response.json(await reconciliation(pool(), m));
}

export async function monthStatusResponse(label: string | undefined): Promise<Response> {
  return Response.json(await monthStatus(pool(), monthParam(label)));
}
