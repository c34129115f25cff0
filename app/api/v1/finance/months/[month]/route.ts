// GET /api/v1/finance/months/YYYY-MM: closed or open. PATCH {closed: true|false}: close or reopen it (audited).
import { route } from "@/lib/auth/api";
import { actorOf } from "@/lib/auth/principal";
import { pool } from "@/lib/db/client";
import { monthStatus, setMonthClosed } from "@/lib/finance/close-month";
import { monthChangeSchema, monthPathParams } from "@/lib/finance/schemas";

export const dynamic = "force-dynamic";

export const GET = route({ permission: "finance.read", params: monthPathParams }, async ({ params }) => Response.json(await monthStatus(pool(), params.month)));

export const PATCH = route({ permission: "finance.write", params: monthPathParams, body: monthChangeSchema }, async ({ params, body, principal }) =>
  Response.json(await setMonthClosed(pool(), params.month, body, actorOf(principal))),
);
