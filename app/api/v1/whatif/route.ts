// What if: POST a scenario (an endpoint's past window and 1–5 candidates) and get each candidate's cost per
// request, weekly and monthly cost, verdicts and, for self-hosting, the fleet and break-even, against the
// actual. Read-only: anyone who may read the review may ask (the answer is built from the same requests).
import { route } from "@/lib/auth/api";
import { pool } from "@/lib/db/client";
import { evaluateScenario } from "@/lib/whatif/engine";
import { whatifSchema } from "@/lib/whatif/schemas";

export const dynamic = "force-dynamic";

export const POST = route({ permission: "review.read", body: whatifSchema }, async ({ body }) => Response.json(await evaluateScenario(pool(), body)));
