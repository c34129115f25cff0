// Contracts: negotiated discounts, a percentage off the list price of a provider (model null) or of one
// model over a date range. Pure matching and application here; creating and retiring a contract is a
// price-book change (price-book.ts: createContract, retireContract), dry run first, closed months refused.
//
// Decisions:
// - A contract applies after list price, to estimated and incomplete costs only: a billed cost is the
//   provider's own number, which already has the discount, and GPU costs are pool-hours, not list prices.
// - Matching: the provider compares trimmed and case-insensitively (like the price book); a contract's model
//   matches the event's model or one of the name variants matchPrice tries (provider path and date suffix
//   dropped), so "claude-sonnet-4-5" covers "claude-sonnet-4-5-20250929". A model-specific contract beats a
//   provider-wide one; between two of the same kind the later start wins, then the later created one.
// - contracted = list × (100 − percent) / 100, exact in Dec; both are stored rounded to cost_usd's 12 places.
// - An event keeps its list cost in list_cost_usd only when a contract applied; NULL means "list = cost_usd".
import type { Db } from "@/lib/db/client";
import { modelNameVariants } from "@/lib/pricing/match-price";
import { Dec } from "@/lib/pricing/price-entry";
import type { EventCost } from "@/lib/pricing/price-event";

export type Contract = {
  /** null for a contract not stored yet (a dry run). */
  id: string | null;
  provider: string;
  model: string | null;
  /** Exact decimal string, 0 < p < 100. */
  percentOff: string;
  effectiveFrom: Date;
  effectiveTo: Date | null;
  note: string;
  createdAt?: Date | null;
};

export type ContractView = {
  id: string | null;
  provider: string;
  model: string | null;
  percentOff: string;
  effectiveFrom: string;
  effectiveTo: string | null;
  note: string;
  createdBy: string | null;
  createdAt: string | null;
  retiredAt: string | null;
};

export function inEffect(c: Contract, at: Date): boolean {
  const t = at.getTime();
  return c.effectiveFrom.getTime() <= t && (c.effectiveTo === null || t < c.effectiveTo.getTime());
}

function prefer(a: Contract, b: Contract): Contract {
  const d = a.effectiveFrom.getTime() - b.effectiveFrom.getTime();
  if (d !== 0) return d > 0 ? a : b;
  return (a.createdAt?.getTime() ?? Infinity) >= (b.createdAt?.getTime() ?? Infinity) ? a : b;
}

/** The contract that governs this provider/model at this moment, or null. */
export function matchContract(contracts: readonly Contract[], provider: string, model: string, at: Date): Contract | null {
  const p = provider.trim().toLowerCase();
  const names = modelNameVariants(model.trim());
  let specific: Contract | null = null;
  let wide: Contract | null = null;
  for (const c of contracts) {
    if (c.provider.trim().toLowerCase() !== p || !inEffect(c, at)) continue;
    if (c.model === null) wide = wide ? prefer(wide, c) : c;
    else if (names.includes(c.model)) specific = specific ? prefer(specific, c) : c;
  }
  return specific ?? wide;
}

/** list × (100 − percent) / 100, exact. */
export function discounted(list: string, percentOff: string): string {
  return new Dec(list).times(new Dec(100).minus(percentOff)).div(100).toFixed();
}

/** An event's cost after its contract: what is paid (cost) and, when a contract applied, the list cost. */
export function applyContract(
  cost: EventCost,
  contracts: readonly Contract[],
  event: { provider?: string | null; model?: string | null; timestamp: Date },
): { cost: EventCost; listCost: string | null; contract: Contract | null } {
  if (cost.source !== "estimated" && cost.source !== "incomplete") return { cost, listCost: null, contract: null };
  const contract = matchContract(contracts, event.provider ?? "", event.model ?? "", event.timestamp);
  if (!contract) return { cost, listCost: null, contract: null };
  return { cost: { ...cost, cost: discounted(cost.cost, contract.percentOff) }, listCost: cost.cost, contract };
}

type ContractRow = {
  id: string;
  provider: string;
  model: string | null;
  percent_off: string;
  effective_from: Date;
  effective_to: Date | null;
  note: string;
  created_by: string;
  created_at: Date;
  retired_at: Date | null;
};

const SELECT = "SELECT id, provider, model, percent_off::text, effective_from, effective_to, note, created_by, created_at, retired_at FROM contracts";

const toContract = (r: ContractRow): Contract => ({
  id: r.id,
  provider: r.provider,
  model: r.model,
  percentOff: new Dec(r.percent_off).toFixed(),
  effectiveFrom: r.effective_from,
  effectiveTo: r.effective_to,
  note: r.note,
  createdAt: r.created_at,
});

function rowView(r: ContractRow): ContractView {
  return {
    id: r.id,
    provider: r.provider,
    model: r.model,
    percentOff: new Dec(r.percent_off).toFixed(),
    effectiveFrom: r.effective_from.toISOString(),
    effectiveTo: r.effective_to?.toISOString() ?? null,
    note: r.note,
    createdBy: r.created_by,
    createdAt: r.created_at.toISOString(),
    retiredAt: r.retired_at?.toISOString() ?? null,
  };
}

export function contractView(c: Contract): ContractView {
  return {
    id: c.id,
    provider: c.provider,
    model: c.model,
    percentOff: c.percentOff,
    effectiveFrom: c.effectiveFrom.toISOString(),
    effectiveTo: c.effectiveTo?.toISOString() ?? null,
    note: c.note,
    createdBy: null,
    createdAt: c.createdAt?.toISOString() ?? null,
    retiredAt: null,
  };
}

export type ContractStatus = "retired" | "ended" | "upcoming" | "active";

/** Where a listed contract stands at `now`: retired, ended (its end date has passed), upcoming or active. */
export function contractStatus(c: Pick<ContractView, "effectiveFrom" | "effectiveTo" | "retiredAt">, now: Date): ContractStatus {
  if (c.retiredAt !== null) return "retired";
  if (c.effectiveTo !== null && new Date(c.effectiveTo).getTime() <= now.getTime()) return "ended";
  return new Date(c.effectiveFrom).getTime() > now.getTime() ? "upcoming" : "active";
}

/** Active (not retired) contracts, the ones pricing applies. */
export async function loadActiveContracts(db: Db): Promise<Contract[]> {
  const { rows } = await db.query<ContractRow>(`${SELECT} WHERE retired_at IS NULL ORDER BY created_at, id`);
  return rows.map(toContract);
}

/** Active contracts; with history, retired ones too. */
export async function listContracts(db: Db, { history = false }: { history?: boolean } = {}): Promise<ContractView[]> {
  const { rows } = await db.query<ContractRow>(`${SELECT} ${history ? "" : "WHERE retired_at IS NULL"} ORDER BY provider, model NULLS FIRST, effective_from DESC, created_at DESC`);
  return rows.map(rowView);
}

export async function contractViewsByIds(db: Db, ids: readonly string[]): Promise<ContractView[]> {
  if (ids.length === 0) return [];
  const { rows } = await db.query<ContractRow>(`${SELECT} WHERE id = ANY($1::uuid[])`, [ids]);
  return rows.map(rowView);
}

export async function insertContract(db: Db, c: Contract, createdBy: string): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    "INSERT INTO contracts (provider, model, percent_off, effective_from, effective_to, note, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    [c.provider, c.model, c.percentOff, c.effectiveFrom, c.effectiveTo, c.note, createdBy],
  );
  return rows[0]!.id;
}

/** The events a contract can touch, in the shape the re-pricing scan takes (a provider-wide one is the pattern "*"). */
export function contractScope(c: Contract) {
  return { provider: c.provider, model: c.model, modelPattern: c.model === null ? "*" : null, effectiveFrom: c.effectiveFrom, effectiveTo: c.effectiveTo };
}
