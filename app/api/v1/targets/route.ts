// Cost targets. GET (review readers): ?endpoint=slug. PUT (admins; owners for their features' endpoints):
// {endpoint, primaryMetric?, targets: [{cohort, targetCost, ceilingCost, revenuePerRequest, latencyBudgetMs}]}
// replaces the endpoint's targets.
import { jsonBody, route } from "@/lib/auth/api";
import { listTargets, putTargets } from "@/lib/targets/targets";

export const dynamic = "force-dynamic";

export const GET = route({ permission: "review.read" }, async ({ req }) =>
  Response.json({ endpoints: await listTargets(new URL(req.url).searchParams.get("endpoint") ?? undefined) }),
);

export const PUT = route({ permission: "review.write" }, async ({ req, principal }) => Response.json(await putTargets(await jsonBody(req), principal)));
