// Saved what-if scenarios: GET ?endpoint=slug lists them (review readers); POST { name, scenario } saves one
// (owners and admins: it is shared with everyone who reads the review). Open one at /api/v1/scenarios/{id}.
import { route } from "@/lib/auth/api";
import { pool } from "@/lib/db/client";
import { listScenarios, saveScenario } from "@/lib/whatif/scenarios";
import { listScenariosQuery, saveScenarioSchema } from "@/lib/whatif/schemas";

export const dynamic = "force-dynamic";

export const GET = route({ permission: "review.read", query: listScenariosQuery }, async ({ query }) =>
  Response.json({ scenarios: await listScenarios(pool(), query) }),
);

export const POST = route({ permission: "review.write", body: saveScenarioSchema }, async ({ body, principal }) =>
  Response.json(await saveScenario(pool(), principal, body), { status: 201 }),
);
