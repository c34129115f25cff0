// Saved what-if scenarios: a scenario under a name, listed per endpoint and opened by id (a link others
// can follow). Saving checks the endpoint exists and is audited; opening one evaluates it afresh.
import type { Db } from "@/lib/db/client";
import { recordAudit } from "@/lib/audit/record-audit";
import { actorOf, type Principal } from "@/lib/auth/principal";
import { withTransaction } from "@/lib/db/transaction";
import { notFound } from "@/lib/errors";
import { validate } from "@/lib/http/validation";
import { evaluateScenario, type WhatIfResult } from "@/lib/whatif/engine";
import { whatifSchema, type Scenario } from "@/lib/whatif/schemas";

export type SavedScenario = { id: string; name: string; endpoint: string; scenario: Scenario; createdBy: string; createdAt: string };

type Row = { id: string; name: string; endpoint: string; scenario: unknown; created_by: string; created_at: Date };

const SELECT = "SELECT id, name, endpoint, scenario, created_by, created_at FROM whatif_scenarios";

// A stored scenario is read back through the same schema, so one saved before a schema change still parses
// (or fails loudly naming the field) rather than reaching the engine half-formed.
const toSaved = (r: Row): SavedScenario => ({
  id: r.id,
  name: r.name,
  endpoint: r.endpoint,
  scenario: validate(whatifSchema, r.scenario, "saved scenario"),
  createdBy: r.created_by,
  createdAt: r.created_at.toISOString(),
});

export async function saveScenario(db: Db, principal: Principal, input: { name: string; scenario: Scenario }): Promise<SavedScenario> {
  const known = await db.query("SELECT 1 FROM endpoints WHERE slug = $1", [input.scenario.endpoint]);
  if (!known.rowCount) throw notFound(`Endpoint '${input.scenario.endpoint}'`);
  const actor = actorOf(principal);
  const row = await withTransaction(async (tx) => {
    const { rows } = await tx.query<Row>(
      "INSERT INTO whatif_scenarios (name, endpoint, scenario, created_by) VALUES ($1, $2, $3, $4) RETURNING id, name, endpoint, scenario, created_by, created_at",
      [input.name, input.scenario.endpoint, JSON.stringify(input.scenario), actor.label],
    );
    const saved = rows[0]!;
    await recordAudit(tx, actor, { action: "whatif_scenario.create", entityType: "whatif_scenario", entityId: saved.id, after: { name: input.name, scenario: input.scenario } });
    return saved;
  }, { db });
  return toSaved(row);
}

export async function listScenarios(db: Db, q: { endpoint?: string }): Promise<SavedScenario[]> {
  const { rows } = await db.query<Row>(`${SELECT} WHERE ($1::text IS NULL OR endpoint = $1) ORDER BY created_at DESC, id LIMIT 500`, [q.endpoint ?? null]);
  return rows.map(toSaved);
}

/** A saved scenario and its evaluation now. */
export async function openScenario(db: Db, id: string): Promise<SavedScenario & { result: WhatIfResult }> {
  const { rows } = await db.query<Row>(`${SELECT} WHERE id = $1`, [id]);
  if (!rows[0]) throw notFound("Scenario");
  const saved = toSaved(rows[0]);
  return { ...saved, result: await evaluateScenario(db, saved.scenario) };
}
