// POST /api/v1/finance/provider-costs/pull {provider, from, to}: pull the provider's cost report for the UTC
// days from … to (exclusive) with the admin key of the app's environment, every page, and import it.
import { route } from "@/lib/auth/api";
import { actorOf } from "@/lib/auth/principal";
import { pullProviderCosts } from "@/lib/finance/provider-costs/pull";
import { storeProviderCosts } from "@/lib/finance/provider-costs/store";
import { providerCostsPullSchema } from "@/lib/finance/schemas";

export const dynamic = "force-dynamic";

export const POST = route({ permission: "finance.write", body: providerCostsPullSchema }, async ({ body, principal }) => {
  const rows = await pullProviderCosts(body.provider, body.from, body.to);
  return Response.json({ ...(await storeProviderCosts(body.provider, rows, "pull", actorOf(principal))), pages: rows.pages });
});
