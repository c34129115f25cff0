// POST /api/v1/finance/provider-costs {provider: openai|anthropic, pages: [the cost-report API's response pages]}:
// import a provider's own cost report; the days it covers replace what was stored for them.
import { route } from "@/lib/auth/api";
import { actorOf } from "@/lib/auth/principal";
import { parseProviderCosts } from "@/lib/finance/provider-costs/parse";
import { storeProviderCosts } from "@/lib/finance/provider-costs/store";
import { providerCostsImportSchema } from "@/lib/finance/schemas";

export const dynamic = "force-dynamic";

export const POST = route({ permission: "finance.write", body: providerCostsImportSchema }, async ({ body, principal }) =>
  Response.json(await storeProviderCosts(body.provider, parseProviderCosts(body.provider, body.pages), "file", actorOf(principal))),
);
