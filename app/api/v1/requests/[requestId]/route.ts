// One request's cost breakdown (review readers): its events and the price entry behind each cost,
// the direct cost, its GPU pool-hour shares, the overhead loading and the total.
import { route } from "@/lib/auth/api";
import { AppError } from "@/lib/errors";
import { requestCost } from "@/lib/pricing/request-cost";
import { pool } from "@/lib/db/client";

export const dynamic = "force-dynamic";

export const GET = route({ permission: "review.read" }, async ({ params }) => {
  const requestId = params.requestId ?? "";
  const breakdown = await requestCost(pool(), requestId);
  if (!breakdown) {
    throw new AppError(
      "not_found",
      404,
      `No cost events carry requestId "${requestId.slice(0, 255)}". Check the id (it is case-sensitive), or whether its events were sent yet.`,
    );
  }
  return Response.json(breakdown);
});
