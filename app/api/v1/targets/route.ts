// Cost targets. GET (review readers): ?endpoint=slug. PUT (admins; owners for their features' endpoints):
// {endpoint, primaryMetric?, targets: [{cohort, targetCost, ceilingCost, revenuePerRequest, latencyBudgetMs}]}
// replaces the endpoint's targets.
import { z } from "zod";
import { route } from "@/lib/auth/api";
import { putTargetsSchema } from "@/lib/targets/schemas";
import { listTargets, putTargets } from "@/lib/targets/targets";
import { pool } from "@/lib/db/client";

export const dynamic = "force-dynamic";

const query = z.object({ endpoint: z.string().optional() });

export const GET = route({ permission: "review.read", query }, async ({ query }) => Response.json({ endpoints: await listTargets(pool(), query.endpoint) }));

export const PUT = route({ permission: "review.write", body: putTargetsSchema }, async ({ body, principal }) => Response.json(await putTargets(pool(), body, principal)));
