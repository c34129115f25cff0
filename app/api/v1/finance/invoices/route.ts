// PUT /api/v1/finance/invoices {month, invoices: [{provider, amountUsd (null removes), note?}]}, or
// PUT /api/v1/finance/invoices?month=YYYY-MM with a text/csv body (columns provider, amount_usd, note).
import { jsonBody, JSON_BODY_MAX_BYTES, route } from "@/lib/auth/api";
import { actorOf } from "@/lib/auth/principal";
import { readLimitedText } from "@/lib/http/body";
import { validate } from "@/lib/http/validation";
import { invoicesFromCsv } from "@/lib/finance/invoice-csv";
import { saveInvoices } from "@/lib/finance/reconciliation";
import { invoicesQuery, invoicesSchema } from "@/lib/finance/schemas";

export const dynamic = "force-dynamic";

export const PUT = route({ permission: "finance.write", query: invoicesQuery }, async ({ req, query, principal }) => {
  const csv = /^text\/csv\b/i.test(req.headers.get("content-type") ?? "");
  const input = csv
    ? invoicesFromCsv(await readLimitedText(req, JSON_BODY_MAX_BYTES), query.month)
    : validate(invoicesSchema, await jsonBody(req), "request body");
  return Response.json(await saveInvoices(input, actorOf(principal)));
});
