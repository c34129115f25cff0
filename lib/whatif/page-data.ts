// What the What if pages load: an entry point, taking the app's database handle once per call and passing it
// down (pages do not reach the database). The new-scenario form's choices, a saved scenario evaluated now,
// and the list of saved scenarios.
import { pool } from "@/lib/db/client";
import { can, type Principal } from "@/lib/auth/principal";
import { loadActivePrices } from "@/lib/pricing/load-prices";
import { getSetting } from "@/lib/settings/settings";
import { addDays, lastCompleteMonday } from "@/lib/rollups/weeks";
import { listScenarios, openScenario, type SavedScenario } from "@/lib/whatif/scenarios";
import type { WhatIfResult } from "@/lib/whatif/engine";
import { AppError } from "@/lib/errors";

/** A model a candidate may be priced as: one exact model of the price book, with the service tiers it prices. */
export type ModelChoice = { provider: string; model: string; serviceTiers: string[] };

export type WhatIfFormChoices = {
  endpoints: { slug: string; name: string }[];
  models: ModelChoice[];
  /** Every service tier some entry prices (batch, flex, priority, …), sorted. */
  serviceTiers: string[];
  cohorts: string[];
  /** The last complete week in the organisation's time zone: the form's default window. */
  defaultWindow: { from: string; to: string; timezone: string };
  /** Owners and admins may save a scenario (POST /api/v1/scenarios needs review.write). */
  maySave: boolean;
};

/** The new-scenario form's choices: endpoints, the price book's exact models and their service tiers, cohorts, the default window. */
export async function whatifFormData(principal: Principal, now: Date = new Date()): Promise<WhatIfFormChoices> {
  const db = pool();
  const [endpoints, book, cohorts, timezone] = await Promise.all([
    db.query<{ slug: string; name: string }>("SELECT slug, name FROM endpoints ORDER BY slug"),
    loadActivePrices(db),
    db.query<{ slug: string }>("SELECT slug FROM cohorts ORDER BY slug"),
    getSetting(db, "timezone"),
  ]);
  const byKey = new Map<string, ModelChoice>();
  const tiers = new Set<string>();
  for (const e of book) {
    // A pattern entry (gpt-4o-*) prices many names; a candidate names one model, so only exact names are offered.
    if (e.model === null) continue;
    const key = `${e.provider}\u0000${e.model}`;
    const choice = byKey.get(key) ?? { provider: e.provider, model: e.model, serviceTiers: [] };
    for (const t of Object.keys(e.serviceTiers ?? {})) {
      if (!choice.serviceTiers.includes(t)) choice.serviceTiers.push(t);
      tiers.add(t);
    }
    byKey.set(key, choice);
  }
  const models = [...byKey.values()]
    .map((m) => ({ ...m, serviceTiers: [...m.serviceTiers].sort() }))
    .sort((a, b) => a.provider.localeCompare(b.provider) || a.model.localeCompare(b.model));
  const from = lastCompleteMonday(now, timezone);
  return {
    endpoints: endpoints.rows,
    models,
    serviceTiers: [...tiers].sort(),
    cohorts: cohorts.rows.map((c) => c.slug),
    defaultWindow: { from, to: addDays(from, 6), timezone },
    maySave: can(principal, "review.write"),
  };
}

/** A saved scenario and its answer now; null when there is none with this id. */
export async function savedScenarioPageData(id: string): Promise<(SavedScenario & { result: WhatIfResult }) | null> {
  try {
    return await openScenario(pool(), id);
  } catch (e) {
    if (e instanceof AppError && e.status === 404) return null;
    throw e;
  }
}

/** Saved scenarios, newest first, optionally of one endpoint. */
export async function scenariosPageData(endpoint?: string): Promise<SavedScenario[]> {
  return listScenarios(pool(), endpoint ? { endpoint } : {});
}
