// A saved what-if scenario by id (the link that shares it): the scenario and its evaluation now.
import { route } from "@/lib/auth/api";
import { pool } from "@/lib/db/client";
import { openScenario } from "@/lib/whatif/scenarios";
import { scenarioIdParams } from "@/lib/whatif/schemas";

export const dynamic = "force-dynamic";

export const GET = route({ permission: "review.read", params: scenarioIdParams }, async ({ params }) => Response.json(await openScenario(pool(), params.id)));
