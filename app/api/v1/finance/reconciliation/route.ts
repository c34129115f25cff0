// GET /api/v1/finance/reconciliation?month=YYYY-MM: computed vs invoiced per provider.
import { route } from "@/lib/auth/api";
import { reconciliationResponse } from "@/lib/finance/responses";

export const dynamic = "force-dynamic";

export const GET = route({ permission: "finance.read" }, async ({ req }) => reconciliationResponse(req));
