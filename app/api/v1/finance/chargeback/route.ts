// GET /api/v1/finance/chargeback?month=YYYY-MM&by=team|tenant&format=json|csv
import { route } from "@/lib/auth/api";
import { chargebackResponse } from "@/lib/finance/responses";

export const dynamic = "force-dynamic";

export const GET = route({ permission: "finance.read" }, async ({ req }) => chargebackResponse(req));
