// GET /api/v1/finance/monthly?month=YYYY-MM&groupBy=team,provider&format=json|csv|focus|focus-parquet (+ filters per dimension).
import { route } from "@/lib/auth/api";
import { pool } from "@/lib/db/client";
import { csvChunks } from "@/lib/finance/csv";
import { focusCsv } from "@/lib/finance/focus";
import { focusParquet, PARQUET_CONTENT_TYPE } from "@/lib/finance/focus-parquet";
import { monthlyCsvCells, monthlyRollup } from "@/lib/finance/monthly";
import { monthlyApiQuery } from "@/lib/finance/schemas";
import { downloadResponse } from "@/lib/http/responses";
import { getSetting } from "@/lib/settings/settings";

export const dynamic = "force-dynamic";

const CSV = "text/csv; charset=utf-8";

export const GET = route({ permission: "finance.read", query: monthlyApiQuery }, async ({ query: q }) => {
  if (q.format === "focus") return downloadResponse(focusCsv(pool(), q.month, await getSetting(pool(), "timezone")), CSV, `cost-review-focus-${q.month.label}.csv`);
  if (q.format === "focus-parquet") {
    return downloadResponse(focusParquet(pool(), q.month, await getSetting(pool(), "timezone")), PARQUET_CONTENT_TYPE, `cost-review-focus-${q.month.label}.parquet`);
  }
  const rollup = await monthlyRollup(pool(), q);
  if (q.format === "json") return Response.json(rollup);
  const text = new Set(q.groupBy.map((_, i) => i + 2));
  return downloadResponse(csvChunks(monthlyCsvCells(rollup), text), CSV, `cost-review-monthly-${q.month.label}-${q.groupBy.join("-") || "total"}.csv`);
});
