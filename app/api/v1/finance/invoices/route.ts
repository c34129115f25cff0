// PUT /api/v1/finance/invoices {month, invoices: [{provider, amountUsd (null removes), note?}]}.
import { route } from "@/lib/auth/api";
import { actorOf } from "@/lib/auth/principal";
import { saveInvoices } from "@/lib/finance/reconciliation";
import { invoicesSchema } from "@/lib/finance/schemas";

export const dynamic = "force-dynamic";

export const PUT = route({ permission: "finance.write", body: invoicesSchema }, async ({ body, principal }) =>
  Response.json(await saveInvoices(body, actorOf(principal))),
);
