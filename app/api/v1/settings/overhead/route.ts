// The overhead loading: read (review readers) and replace (prices.manage, audited). A percentage
// globally and per feature; a feature override wins. Unknown feature slugs are per-field errors.
import { route } from "@/lib/auth/api";
import { actorOf } from "@/lib/auth/principal";
import { pool } from "@/lib/db/client";
import { overheadConfigSchema } from "@/lib/pricing/schemas";
import { getSettingEntries, setSettings } from "@/lib/settings/settings";

export const dynamic = "force-dynamic";

export const GET = route({ permission: "review.read" }, async () => {
  const { overhead } = await getSettingEntries(pool(), ["overhead"]);
  return Response.json({ overhead: overhead.value, updatedAt: overhead.updatedAt });
});

export const PUT = route({ permission: "prices.manage", body: overheadConfigSchema }, async ({ body, principal }) => {
  const { overhead } = await setSettings(pool(), actorOf(principal), { overhead: body });
  return Response.json({ overhead: overhead.value, updatedAt: overhead.updatedAt });
});
