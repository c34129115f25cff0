// GET /api/v1/finance/chargeback?month=YYYY-MM&by=team|tenant&format=json|csv
import { route } from "@/lib/auth/api";
import { pool } from "@/lib/db/client";
import { chargeback, chargebackCsvCells } from "@/lib/finance/chargeback";
import { csvChunks } from "@/lib/finance/csv";
import { chargebackApiQuery } from "@/lib/finance/schemas";
import { downloadResponse } from "@/lib/http/responses";

export const dynamic = "force-dynamic";

export const GET = route({ permission: "finance.read", query: chargebackApiQuery }, async ({ query: q }) => {
  const c = await chargeback(pool(), q.month, q.by);
  if (q.format === "json") return Response.json(c);
  return downloadResponse(csvChunks(chargebackCsvCells(c), new Set([2])), "text/csv; charset=utf-8", `cost-review-chargeback-${q.month.label}-${q.by}.csv`);
});
