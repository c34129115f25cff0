// PUT /api/v1/finance/invoices {month, invoices: [{provider, amountUsd (null removes), note?}]}.
import { jsonBody, route } from "@/lib/auth/api";
import { actorOf } from "@/lib/auth/principal";
import { saveInvoices } from "@/lib/finance/reconciliation";

export const dynamic = "force-dynamic";

export const PUT = route({ permission: "finance.write" }, async ({ req, principal }) =>
  Response.json(await saveInvoices(await jsonBody(req), actorOf(principal))),
);
