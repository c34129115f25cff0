// GET /api/v1/finance/months/YYYY-MM: closed or open. PATCH {closed: true|false}: close or reopen it (audited).
import { jsonBody, route } from "@/lib/auth/api";
import { actorOf } from "@/lib/auth/principal";
import { monthStatusResponse } from "@/lib/finance/responses";
import { setMonthClosed } from "@/lib/finance/close-month";

export const dynamic = "force-dynamic";

export const GET = route({ permission: "finance.read" }, async ({ params }) => monthStatusResponse(params.month));

export const PATCH = route({ permission: "finance.write" }, async ({ req, principal, params }) =>
  Response.json(await setMonthClosed(params.month ?? "", await jsonBody(req), actorOf(principal))),
);
