// The overhead loading: read (review readers) and replace (prices.manage, audited). A percentage
// globally and per feature; a feature override wins. Unknown feature slugs are per-field errors.
import { route } from "@/lib/auth/api";
import { actorOf } from "@/lib/auth/principal";
import { overheadConfigSchema } from "@/lib/pricing/overhead";
import { getOverhead, setOverhead } from "@/lib/pricing/overhead-settings";

export const dynamic = "force-dynamic";

export const GET = route({ permission: "review.read" }, async () => Response.json(await getOverhead()));

export const PUT = route({ permission: "prices.manage", body: overheadConfigSchema }, async ({ body, principal }) =>
  Response.json(await setOverhead(body, actorOf(principal))),
);
