// `cost-review provider-costs import FILE` and `… pull`: a provider's own cost report into the database.
import { readFile } from "node:fs/promises";
import type { Actor } from "@/lib/audit/record-audit";
import { AppError } from "@/lib/errors";
import { importOf, parseProviderCosts } from "@/lib/finance/provider-costs/parse";
import { pullProviderCosts } from "@/lib/finance/provider-costs/pull";
import { storeProviderCosts, type ProviderCostImport } from "@/lib/finance/provider-costs/store";
import { providerCostsPullSchema } from "@/lib/finance/schemas";
import { validate } from "@/lib/http/validation";

const usage = (message: string) => new AppError("usage", 2, message);

function report(r: ProviderCostImport, pages?: number) {
  const range = r.from ? ` for ${r.from} … ${r.to}` : "";
  console.log(`Imported ${r.provider}: ${r.lines} lines on ${r.days} days${range}, $${r.totalUsd}${pages ? ` (${pages} pages)` : ""}.`);
}

export async function providerCostsCommand(
  sub: string | undefined,
  positionals: string[],
  values: { provider?: string; from?: string; to?: string },
  actor: Actor,
): Promise<number> {
  if (sub === "import") {
    const [file, ...extra] = positionals;
    if (!file || extra.length) throw usage("provider-costs import takes one FILE: cost-review provider-costs import report.json [--provider openai|anthropic]");
    let json: unknown;
    try {
      json = JSON.parse(await readFile(file, "utf8"));
    } catch (e) {
      throw new AppError("invalid_json", 1, `${file} is not a readable JSON file: ${(e as Error).message}`);
    }
    const given = values.provider ? { provider: values.provider, pages: Array.isArray(json) ? json : [json] } : json;
    const { provider, pages } = importOf(given);
    report(await storeProviderCosts(provider, parseProviderCosts(provider, pages), "file", actor));
    return 0;
  }
  if (sub === "pull") {
    if (positionals.length) throw usage("provider-costs pull takes no FILE: cost-review provider-costs pull --provider openai --from 2026-10-01 --to 2026-11-01");
    const v = validate(providerCostsPullSchema, values, "provider cost pull");
    const rows = await pullProviderCosts(v.provider, v.from, v.to);
    report(await storeProviderCosts(v.provider, rows, "pull", actor), rows.pages);
    return 0;
  }
  throw usage("provider-costs takes import FILE or pull --provider P --from D --to D");
}
