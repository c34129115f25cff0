// The registered endpoints (anyone who can read the review).
import { route } from "@/lib/auth/api";
import { listEndpoints } from "@/lib/org/list-endpoints";

export const dynamic = "force-dynamic";

export const GET = route({ permission: "review.read" }, async () => {
  const endpoints = await listEndpoints();
  return Response.json({
    endpoints: endpoints.map((e) => ({ ...e, reviewThresholdPct: e.reviewThresholdPct?.toString() ?? null })),
  });
});
