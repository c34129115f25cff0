// GET /api/v1/finance/monthly?month=YYYY-MM&groupBy=team,provider&format=json|csv|focus (+ filters per dimension).
import { route } from "@/lib/auth/api";
import { monthlyResponse } from "@/lib/finance/responses";

export const dynamic = "force-dynamic";

export const GET = route({ permission: "finance.read" }, async ({ req }) => monthlyResponse(req));
