// The price book as an admin manages it: list (active and history), create, update (a new version),
// retire, import LiteLLM's price file and load the missing built-in list prices. Every change is
// first a dry run (the re-pricing it causes, changing nothing), and applying it changes the price
// book, re-prices the affected events and writes the audit log in one transaction.
//
// Decisions:
// - A new entry gets the next version number of its provider and model (or pattern). matchPrice
//   prefers the higher version where two entries overlap, so the latest entry wins where it overlaps
//   an older one, and an older entry keeps the periods the new one does not cover.
// - An update is a new version (version + 1). When it keeps the start date or moves it earlier, the old
//   row is retired (kept for history). When it moves the start date later, it is a price change from
//   that date: the old row stays in force up to the new date (its effective_to is set to it) and the new
//   version starts there, so events before the date keep their price and are not re-priced.
// - An imported LiteLLM entry is skipped when an active entry of the same provider and model already
//   has the same rates over a window that covers it; otherwise it is added (as the next version).
// - Built-in catalogue entries are loaded only for a provider/model that has no active entry at all:
//   a price an admin set is never overridden by a list price.
// - Apply refuses (409, nothing changes) when the re-pricing touches a month finance has closed.
//   Billed events are never re-priced (see reprice.ts).
// - A contract (contracts.ts) is created and retired through the same change: dry run first, the events
//   it re-prices per model and month, refused with 409 when that touches a closed month. Every price change
//   re-prices under the active contracts, so a contracted event stays contracted.
// - Changes are serialised by an advisory lock; the closed-months table is share-locked for the
//   transaction, so a month cannot be closed under a re-pricing that checked it.
import type pg from "pg";
import type { Db } from "@/lib/db/client";
import { AppError, badRequest, fieldErrors, notFound, type FieldError } from "@/lib/errors";
import { recordAudit, type Actor, type AuditEntry } from "@/lib/audit/record-audit";
import { builtInCatalogue } from "@/lib/pricing/catalogue";
import { importLiteLlm } from "@/lib/pricing/import-litellm";
import { insertPriceEntry, invalidatePrices, loadActivePrices, rowToEntry, type PriceRow } from "@/lib/pricing/load-prices";
import { Dec, priceEntrySchema, rateRelationProblems, TOKEN_RATE_FIELDS, type ModalityRates, type PriceEntry, type PriceTier, type ServiceTierPrice } from "@/lib/pricing/price-entry";
import { repriceEvents, type RepriceDiff } from "@/lib/pricing/reprice";
import {
  contractScope,
  contractView,
  contractViewsByIds,
  insertContract,
  loadActiveContracts,
  type Contract,
  type ContractView,
} from "@/lib/pricing/contracts";
import { withTransaction } from "@/lib/db/transaction";

export const ENTRY_FIELDS = [
  "provider",
  "model",
  "modelPattern",
  "effectiveFrom",
  "effectiveTo",
  ...TOKEN_RATE_FIELDS,
  "perCallUsd",
  "tiers",
  "serviceTiers",
  "toolFees",
  "modalityRates",
  "currency",
  "source",
] as const;
/** Fields a client may send back from a listed entry; the server sets them, so they are ignored. */
const SERVER_FIELDS = new Set(["id", "version", "retiredAt", "createdAt", "createdBy"]);

export const RATE_FIELDS = [
  "inputPerMTok",
  "cacheReadPerMTok",
  "cacheWritePerMTok",
  "cacheWrite1hPerMTok",
  "outputPerMTok",
  "reasoningPerMTok",
  "toolOutputPerMTok",
  "perCallUsd",
] as const;

/** A price entry as the API shows it: money as decimal strings, dates as ISO strings. */
export type PriceView = {
  /** null in a dry run, for an entry that is not stored yet. */
  id: string | null;
  provider: string;
  model: string | null;
  modelPattern: string | null;
  effectiveFrom: string;
  effectiveTo: string | null;
  inputPerMTok: string;
  cacheReadPerMTok: string | null;
  cacheWritePerMTok: string | null;
  cacheWrite1hPerMTok: string | null;
  outputPerMTok: string;
  reasoningPerMTok: string | null;
  toolOutputPerMTok: string | null;
  perCallUsd: string | null;
  tiers: PriceTier[] | null;
  serviceTiers: Record<string, ServiceTierPrice> | null;
  toolFees: Record<string, string> | null;
  modalityRates: ModalityRates | null;
  currency: string;
  source: string;
  version: number;
  retiredAt: string | null;
  createdAt: string | null;
  createdBy: string | null;
};

type FullRow = PriceRow & { retired_at: Date | null; created_at: Date; created_by: string };

const dec = (v: string) => new Dec(v).toFixed();
const decOrNull = (v: string | null) => (v === null ? null : dec(v));

function rowView(r: FullRow): PriceView {
  // The JSONB parts go through the entry schema, which also puts their decimals in normal form.
  const parts = rowToEntry(r);
  return {
    id: r.id,
    provider: r.provider,
    model: r.model,
    modelPattern: r.model_pattern,
    effectiveFrom: r.effective_from.toISOString(),
    effectiveTo: r.effective_to?.toISOString() ?? null,
    inputPerMTok: dec(r.input_per_mtok),
    cacheReadPerMTok: decOrNull(r.cache_read_per_mtok),
    cacheWritePerMTok: decOrNull(r.cache_write_per_mtok),
    cacheWrite1hPerMTok: decOrNull(r.cache_write_1h_per_mtok),
    outputPerMTok: dec(r.output_per_mtok),
    reasoningPerMTok: decOrNull(r.reasoning_per_mtok),
    toolOutputPerMTok: decOrNull(r.tool_output_per_mtok),
    perCallUsd: decOrNull(r.per_call_usd),
    tiers: parts.tiers,
    serviceTiers: parts.serviceTiers,
    toolFees: parts.toolFees,
    modalityRates: parts.modalityRates,
    currency: r.currency,
    source: r.source,
    version: r.version,
    retiredAt: r.retired_at?.toISOString() ?? null,
    createdAt: r.created_at.toISOString(),
    createdBy: r.created_by,
  };
}

export function entryView(e: PriceEntry): PriceView {
  return { id: e.id, ...entryFields(e), version: e.version, retiredAt: null, createdAt: null, createdBy: null };
}

const ORDER = "ORDER BY provider, coalesce(model, model_pattern), effective_from DESC, version DESC, created_at DESC";

/** Active entries; with history, retired versions too. */
export async function listPrices(db: Db, { history = false }: { history?: boolean } = {}): Promise<PriceView[]> {
  const { rows } = await db.query<FullRow>(`SELECT * FROM price_entries ${history ? "" : "WHERE retired_at IS NULL"} ${ORDER}`);
  return rows.map(rowView);
}

async function viewsByIds(client: pg.PoolClient, ids: readonly string[]): Promise<PriceView[]> {
  if (ids.length === 0) return [];
  const { rows } = await client.query<FullRow>(`SELECT * FROM price_entries WHERE id = ANY($1::uuid[]) ${ORDER}`, [ids]);
  return rows.map(rowView);
}

// ---------------------------------------------------------------------------------------------------
// Input.

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** "2026-03-01" means midnight UTC; anything else goes to the schema as sent. */
export function normaliseDate(v: unknown): unknown {
  return typeof v === "string" && DATE_ONLY.test(v.trim()) ? `${v.trim()}T00:00:00.000Z` : v;
}

function unknownFieldErrors(input: Record<string, unknown>, prefix: string): FieldError[] {
  const errors: FieldError[] = [];
  for (const key of Object.keys(input)) {
    if ((ENTRY_FIELDS as readonly string[]).includes(key) || SERVER_FIELDS.has(key) || key === "ratesConfirmed") continue;
    const near = ENTRY_FIELDS.find((f) => f.toLowerCase() === key.toLowerCase().replace(/[_-]/g, ""));
    errors.push({ path: `${prefix}.${key}`, message: near ? `unknown field; did you mean ${near}?` : `unknown field; the fields are ${ENTRY_FIELDS.join(", ")}` });
  }
  return errors;
}

export type ParsedEntry = { ok: true; entry: PriceEntry } | { ok: false; errors: FieldError[] };

function parseFields(fields: Record<string, unknown>, prefix: string): ParsedEntry {
  const candidate: Record<string, unknown> = {};
  for (const f of ENTRY_FIELDS) if (f in fields) candidate[f] = f === "effectiveFrom" || f === "effectiveTo" ? normaliseDate(fields[f]) : fields[f];
  const parsed = priceEntrySchema.safeParse(candidate);
  if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error.issues).map((e) => ({ ...e, path: e.path === "(body)" ? prefix : `${prefix}.${e.path}` })) };
  return { ok: true, entry: { ...parsed.data, id: null } };
}

/**
 * Refuses rate relations no price list has (rateRelationProblems) unless the input says
 * `ratesConfirmed: true`; relations the entry already had before a patch (`before`) stand.
 */
function withRateRelations(parsed: ParsedEntry, input: Record<string, unknown>, prefix: string, before?: PriceEntry): ParsedEntry {
  const confirmed = input.ratesConfirmed;
  if (confirmed !== undefined && typeof confirmed !== "boolean") {
    return { ok: false, errors: [...(parsed.ok ? [] : parsed.errors), { path: `${prefix}.ratesConfirmed`, message: "must be true or false" }] };
  }
  if (!parsed.ok || confirmed === true) return parsed;
  const had = new Set(before ? rateRelationProblems(before).map((p) => p.path) : []);
  const problems = rateRelationProblems(parsed.entry).filter((p) => !had.has(p.path));
  return problems.length ? { ok: false, errors: problems.map((p) => ({ path: `${prefix}.${p.path}`, message: p.message })) } : parsed;
}

/** A new entry from the API: every field checked, each problem reported with its path. */
export function parseEntryInput(input: unknown, prefix = "entry"): ParsedEntry {
  if (!isRecord(input)) return { ok: false, errors: [{ path: prefix, message: "must be an object with the price's fields" }] };
  const unknown = unknownFieldErrors(input, prefix);
  const parsed = withRateRelations(parseFields(input, prefix), input, prefix);
  if (unknown.length) return { ok: false, errors: [...unknown, ...(parsed.ok ? [] : parsed.errors)] };
  return parsed;
}

/** An entry's fields as the API shows and takes them (dates as ISO strings). */
function entryFields(e: PriceEntry): Omit<PriceView, "id" | "version" | "retiredAt" | "createdAt" | "createdBy"> {
  return {
    provider: e.provider,
    model: e.model,
    modelPattern: e.modelPattern,
    effectiveFrom: e.effectiveFrom.toISOString(),
    effectiveTo: e.effectiveTo?.toISOString() ?? null,
    inputPerMTok: e.inputPerMTok,
    cacheReadPerMTok: e.cacheReadPerMTok,
    cacheWritePerMTok: e.cacheWritePerMTok,
    cacheWrite1hPerMTok: e.cacheWrite1hPerMTok,
    outputPerMTok: e.outputPerMTok,
    reasoningPerMTok: e.reasoningPerMTok,
    toolOutputPerMTok: e.toolOutputPerMTok,
    perCallUsd: e.perCallUsd,
    tiers: e.tiers,
    serviceTiers: e.serviceTiers,
    toolFees: e.toolFees,
    modalityRates: e.modalityRates,
    currency: e.currency,
    source: e.source,
  };
}

/** An entry changed by a patch: fields not in the patch keep their value; null clears an optional one. */
export function applyPatch(old: PriceEntry, patch: unknown, prefix = "entry"): ParsedEntry {
  if (!isRecord(patch)) return { ok: false, errors: [{ path: prefix, message: "must be an object with the fields to change" }] };
  const unknown = unknownFieldErrors(patch, prefix);
  const merged: Record<string, unknown> = { ...entryFields(old) };
  for (const f of ENTRY_FIELDS) if (f in patch) merged[f] = patch[f];
  // Naming a model replaces a pattern and the other way round.
  if (patch.model !== undefined && patch.model !== null && !("modelPattern" in patch)) merged.modelPattern = null;
  if (patch.modelPattern !== undefined && patch.modelPattern !== null && !("model" in patch)) merged.model = null;
  const parsed = withRateRelations(parseFields(merged, prefix), patch, prefix, old);
  if (unknown.length) return { ok: false, errors: [...unknown, ...(parsed.ok ? [] : parsed.errors)] };
  return parsed;
}

// ---------------------------------------------------------------------------------------------------
// Comparing entries.

const sameKey = (a: PriceEntry, b: PriceEntry) => a.provider === b.provider && a.model === b.model && a.modelPattern === b.modelPattern;
const decEq = (a: string | null, b: string | null) => (a === null || b === null ? a === b : new Dec(a).eq(b));

/** The tiers, service tiers, tool fees and modality rates compared by value (decimals already normal). */
const partsText = (e: PriceEntry) => JSON.stringify([e.tiers, sortedKeys(e.serviceTiers), sortedKeys(e.toolFees), e.modalityRates]);
function sortedKeys<T>(m: Record<string, T> | null): [string, T][] | null {
  return m === null ? null : Object.entries(m).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Same provider, model or pattern, currency, every rate, and the same tiers, service tiers, fees and modality rates. */
export function sameTerms(a: PriceEntry, b: PriceEntry): boolean {
  return sameKey(a, b) && a.currency === b.currency && RATE_FIELDS.every((f) => decEq(a[f], b[f])) && partsText(a) === partsText(b);
}

/** Does a's window contain b's? */
export function covers(a: PriceEntry, b: PriceEntry): boolean {
  if (a.effectiveFrom.getTime() > b.effectiveFrom.getTime()) return false;
  if (a.effectiveTo === null) return true;
  return b.effectiveTo !== null && b.effectiveTo.getTime() <= a.effectiveTo.getTime();
}

function sameEntry(a: PriceEntry, b: PriceEntry): boolean {
  return (
    sameTerms(a, b) &&
    a.source === b.source &&
    a.effectiveFrom.getTime() === b.effectiveFrom.getTime() &&
    (a.effectiveTo?.getTime() ?? null) === (b.effectiveTo?.getTime() ?? null)
  );
}

const keyLabel = (e: PriceEntry) => `${e.provider}/${e.model ?? e.modelPattern ?? ""}`;

/** The next version number for each entry's provider and model (or pattern), counting retired rows. */
async function nextVersions(db: pg.PoolClient, entries: readonly PriceEntry[]): Promise<number[]> {
  if (entries.length === 0) return [];
  const { rows } = await db.query<{ provider: string; model: string | null; model_pattern: string | null; v: number }>(
    `SELECT p.provider, p.model, p.model_pattern, max(p.version)::int AS v
     FROM price_entries p
     JOIN unnest($1::text[], $2::text[], $3::text[]) AS k(provider, model, model_pattern)
       ON p.provider = k.provider AND p.model IS NOT DISTINCT FROM k.model AND p.model_pattern IS NOT DISTINCT FROM k.model_pattern
     GROUP BY p.provider, p.model, p.model_pattern`,
    [entries.map((e) => e.provider), entries.map((e) => e.model), entries.map((e) => e.modelPattern)],
  );
  const max = new Map(rows.map((r) => [`${r.provider}\u0000${r.model ?? ""}\u0000${r.model_pattern ?? ""}`, r.v]));
  return entries.map((e) => (max.get(`${e.provider}\u0000${e.model ?? ""}\u0000${e.modelPattern ?? ""}`) ?? 0) + 1);
}

// ---------------------------------------------------------------------------------------------------
// Changes.

export type ChangeKind = "create" | "update" | "retire" | "import" | "contract.create" | "contract.retire";
export type Skip = { key: string; reason: string };

type Plan = {
  kind: ChangeKind;
  /** Entries to insert (id null, version set). */
  add: PriceEntry[];
  /** Active entries to retire. */
  retire: PriceEntry[];
  /** Active entries whose window ends earlier (an update that starts later). */
  close: { entry: PriceEntry; effectiveTo: Date }[];
  skipped: Skip[];
  warnings: { key: string; message: string }[];
  format?: "litellm" | "builtin";
  /** Contracts to add (id null) and active ones to retire. */
  contracts?: { add: Contract[]; retire: Contract[] };
};

export type ChangeResult = {
  applied: boolean;
  kind: ChangeKind;
  created: PriceView[];
  retired: PriceView[];
  /** Entries kept with an earlier end date (their window after the change). */
  shortened: PriceView[];
  skipped: Skip[];
  warnings: { key: string; message: string }[];
  diff: RepriceDiff;
  /** Contract changes only: the contracts added and retired. */
  contracts?: { created: ContractView[]; retired: ContractView[] };
};

type PlanContext = { client: pg.PoolClient; active: PriceEntry[]; contracts: Contract[] };

function closedMonthsError(diff: RepriceDiff): AppError {
  const months = diff.closedMonths.join(", ");
  return new AppError(
    "month_closed",
    409,
    `This change would re-price ${diff.events} events, some in ${diff.closedMonths.length === 1 ? "a closed month" : "closed months"} (${months}). ` +
      "Finance has closed them, so nothing was changed. Reopen the months first, or give the change an effective date after them.",
    { closedMonths: diff.closedMonths, diff },
  );
}

async function runChange(build: (ctx: PlanContext) => Promise<Plan>, opts: { dryRun: boolean; actor: Actor }): Promise<ChangeResult> {
  const { dryRun, actor } = opts;
  // A dry run plans and counts in a read-only snapshot and is rolled back.
  const result = await withTransaction(async (client) => {
    if (!dryRun) {
      await client.query("SELECT pg_advisory_xact_lock(hashtext('cost_review.price_book'))");
      await client.query("LOCK TABLE closed_months IN SHARE MODE");
    }
    const active = await loadActivePrices(client);
    const contracts = await loadActiveContracts(client);
    const plan = await build({ client, active, contracts });
    const contractAdd = plan.contracts?.add ?? [];
    const contractRetire = plan.contracts?.retire ?? [];

    let added: PriceEntry[];
    let contractsAdded: Contract[];
    if (dryRun) {
      added = plan.add.map((e, i) => ({ ...e, id: `pending-${i}` }));
      contractsAdded = contractAdd;
    } else {
      added = [];
      for (const e of plan.add) added.push({ ...e, id: await insertPriceEntry(client, e, actor.label) });
      contractsAdded = [];
      for (const c of contractAdd) contractsAdded.push({ ...c, id: await insertContract(client, c, actor.label), createdAt: new Date() });
      if (contractRetire.length) {
        await client.query("UPDATE contracts SET retired_at = CURRENT_TIMESTAMP WHERE id = ANY($1::uuid[]) AND retired_at IS NULL", [
          contractRetire.map((c) => c.id),
        ]);
      }
      if (plan.retire.length) {
        await client.query("UPDATE price_entries SET retired_at = CURRENT_TIMESTAMP WHERE id = ANY($1::uuid[]) AND retired_at IS NULL", [
          plan.retire.map((e) => e.id),
        ]);
      }
      for (const c of plan.close) await client.query("UPDATE price_entries SET effective_to = $2 WHERE id = $1", [c.entry.id, c.effectiveTo]);
    }

    const retiredIds = new Set(plan.retire.map((e) => e.id));
    const closeTo = new Map(plan.close.map((c) => [c.entry.id, c.effectiveTo]));
    const bookAfter = [
      ...active.filter((e) => !retiredIds.has(e.id)).map((e) => (closeTo.has(e.id) ? { ...e, effectiveTo: closeTo.get(e.id)! } : e)),
      ...added,
    ];
    // Only the cut-off part of a shortened entry's window can change a price.
    const cutOff = plan.close.map((c) => ({ ...c.entry, effectiveFrom: c.effectiveTo, effectiveTo: c.entry.effectiveTo }));
    const retiredContracts = new Set(contractRetire.map((c) => c.id));
    const contractsAfter = [...contracts.filter((c) => !retiredContracts.has(c.id)), ...contractsAdded];
    const changed = [...plan.retire, ...cutOff, ...added, ...[...contractRetire, ...contractsAdded].map(contractScope)];
    const diff = await repriceEvents(client, changed, bookAfter, { apply: !dryRun, contracts: contractsAfter });
    const { updated: _updated, ...summary } = diff;

    if (dryRun) {
      return {
        applied: false,
        kind: plan.kind,
        created: added.map((e) => ({ ...entryView(e), id: null })),
        retired: plan.retire.map(entryView),
        shortened: plan.close.map((c) => entryView({ ...c.entry, effectiveTo: c.effectiveTo })),
        skipped: plan.skipped,
        warnings: plan.warnings,
        diff: summary,
        ...(plan.contracts ? { contracts: { created: contractsAdded.map(contractView), retired: contractRetire.map(contractView) } } : {}),
      };
    }
    if (summary.closedMonths.length) throw closedMonthsError(summary);

    const created = await viewsByIds(client, added.map((e) => e.id!));
    const retired = await viewsByIds(client, plan.retire.map((e) => e.id!));
    const shortened = await viewsByIds(client, plan.close.map((c) => c.entry.id!));
    const before = new Map([...plan.retire, ...plan.close.map((c) => c.entry)].map((e) => [e.id!, entryView(e)]));
    if (plan.contracts) {
      const contractResult = {
        created: await contractViewsByIds(client, contractsAdded.map((c) => c.id!)),
        retired: await contractViewsByIds(client, contractRetire.map((c) => c.id!)),
      };
      await recordAudit(client, actor, contractAuditEntries(plan.kind, contractResult, contractRetire, summary));
      return { applied: true, kind: plan.kind, created, retired, shortened, skipped: plan.skipped, warnings: plan.warnings, diff: summary, contracts: contractResult };
    }
    await recordAudit(client, actor, auditEntries(plan, { created, retired, shortened, before, diff: summary }));
    return { applied: true, kind: plan.kind, created, retired, shortened, skipped: plan.skipped, warnings: plan.warnings, diff: summary };
  }, dryRun ? { isolation: "repeatable read", readOnly: true, rollback: true } : {});
  if (result.applied) invalidatePrices();
  return result;
}

function contractAuditEntries(
  kind: ChangeKind,
  r: { created: ContractView[]; retired: ContractView[] },
  retiredBefore: Contract[],
  diff: RepriceDiff,
): AuditEntry[] {
  const entity = "contract";
  const out: AuditEntry[] = [];
  for (const c of r.created) out.push({ action: "contract.create", entityType: entity, entityId: c.id, after: c });
  for (const c of r.retired) {
    const before = retiredBefore.find((b) => b.id === c.id);
    out.push({ action: "contract.retire", entityType: entity, entityId: c.id, before: before ? contractView(before) : undefined, after: { retiredAt: c.retiredAt } });
  }
  if (diff.events > 0) {
    out.push({
      action: "contract.reprice",
      entityType: entity,
      entityId: r.created[0]?.id ?? r.retired[0]?.id ?? null,
      before: { events: diff.events, total: diff.oldTotal },
      after: {
        change: kind,
        events: diff.events,
        months: diff.months,
        total: diff.newTotal,
        byModelAndMonth: diff.rows.map(({ provider, model, month, events, oldTotal, newTotal }) => ({ provider, model, month, events, oldTotal, newTotal })),
      },
    });
  }
  return out;
}

function auditEntries(
  plan: Plan,
  r: { created: PriceView[]; retired: PriceView[]; shortened: PriceView[]; before: Map<string, PriceView>; diff: RepriceDiff },
): AuditEntry[] {
  const out: AuditEntry[] = [];
  const entity = "price_entry";
  if (plan.kind === "create") {
    for (const c of r.created) out.push({ action: "price_entry.create", entityType: entity, entityId: c.id, after: c });
  } else if (plan.kind === "update") {
    const old = r.retired[0] ?? r.shortened[0];
    const next = r.created[0];
    out.push({
      action: "price_entry.update",
      entityType: entity,
      entityId: next?.id ?? old?.id ?? null,
      before: old ? r.before.get(old.id!) : undefined,
      after: { ...next, previousVersion: old ? (r.retired.length ? { id: old.id, retiredAt: old.retiredAt } : { id: old.id, effectiveTo: old.effectiveTo }) : null },
    });
  } else if (plan.kind === "retire") {
    for (const e of r.retired) out.push({ action: "price_entry.retire", entityType: entity, entityId: e.id, before: r.before.get(e.id!), after: { retiredAt: e.retiredAt } });
  } else {
    for (const c of r.created) out.push({ action: "price_entry.create", entityType: entity, entityId: c.id, after: { ...c, importedFrom: plan.format } });
    out.push({
      action: "price_entry.import",
      entityType: entity,
      after: { format: plan.format, added: r.created.length, skipped: plan.skipped.length, warnings: plan.warnings.length },
    });
  }
  if (r.diff.events > 0) {
    const primary = plan.kind === "retire" ? r.retired[0]?.id : plan.kind === "import" ? null : r.created[0]?.id;
    out.push({
      action: "price_entry.reprice",
      entityType: entity,
      entityId: primary ?? null,
      before: { events: r.diff.events, total: r.diff.oldTotal },
      after: {
        change: plan.kind,
        events: r.diff.events,
        months: r.diff.months,
        total: r.diff.newTotal,
        unpricedToPriced: r.diff.unpricedToPriced,
        pricedToUnpriced: r.diff.pricedToUnpriced,
        byModelAndMonth: r.diff.rows.map(({ provider, model, month, events, oldTotal, newTotal }) => ({ provider, model, month, events, oldTotal, newTotal })),
      },
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// The use cases.

type ChangeOptions = { dryRun: boolean; actor: Actor };

const activeById = (active: PriceEntry[], id: string) => {
  const found = active.find((e) => e.id === id);
  if (!found) throw notFound("An active price entry with this id");
  return found;
};

export async function createPrice(entry: PriceEntry, opts: ChangeOptions): Promise<ChangeResult> {
  return runChange(async ({ client }) => {
    const [version] = await nextVersions(client, [entry]);
    return { kind: "create", add: [{ ...entry, id: null, version: version! }], retire: [], close: [], skipped: [], warnings: [] };
  }, opts);
}

/** A new version of an active entry, from a patch of its fields. */
export async function updatePrice(id: string, patch: unknown, opts: ChangeOptions): Promise<ChangeResult> {
  return runChange(async ({ active }) => {
    const old = activeById(active, id);
    const parsed = applyPatch(old, patch);
    if (!parsed.ok) throw badRequest("The price change is not valid.", parsed.errors);
    const next = { ...parsed.entry, id: null, version: old.version + 1 };
    if (sameEntry(old, next)) throw badRequest("The change is empty: every field equals the active version.", [{ path: "entry", message: "change at least one field" }]);
    const startsLater = sameKey(old, next) && next.effectiveFrom.getTime() > old.effectiveFrom.getTime();
    if (!startsLater) return { kind: "update", add: [next], retire: [old], close: [], skipped: [], warnings: [] };
    const stillOpen = old.effectiveTo === null || old.effectiveTo.getTime() > next.effectiveFrom.getTime();
    return { kind: "update", add: [next], retire: [], close: stillOpen ? [{ entry: old, effectiveTo: next.effectiveFrom }] : [], skipped: [], warnings: [] };
  }, opts);
}

export async function retirePrice(id: string, opts: ChangeOptions): Promise<ChangeResult> {
  return runChange(async ({ active }) => ({ kind: "retire", add: [], retire: [activeById(active, id)], close: [], skipped: [], warnings: [] }), opts);
}

export type LiteLlmImportInput = { data: unknown; effectiveFrom: Date; effectiveTo?: Date | null; source?: string };

export async function importLiteLlmPrices(input: LiteLlmImportInput, opts: ChangeOptions): Promise<ChangeResult> {
  return runChange(async ({ client, active }) => {
    const imported = importLiteLlm(input.data, { effectiveFrom: input.effectiveFrom, effectiveTo: input.effectiveTo ?? null, source: input.source });
    const fileProblem = imported.skipped.find((s) => s.key === "(file)");
    if (fileProblem) throw badRequest("The LiteLLM file cannot be imported.", [{ path: "data", message: fileProblem.reason }]);
    const skipped: Skip[] = [...imported.skipped];
    const fresh: PriceEntry[] = [];
    for (const e of imported.entries) {
      const same = active.find((a) => sameTerms(a, e) && covers(a, e));
      if (same) skipped.push({ key: keyLabel(e), reason: `equals the active entry (version ${same.version}, from ${same.effectiveFrom.toISOString().slice(0, 10)})` });
      else fresh.push(e);
    }
    const versions = await nextVersions(client, fresh);
    return {
      kind: "import",
      format: "litellm",
      add: fresh.map((e, i) => ({ ...e, id: null, version: versions[i]! })),
      retire: [],
      close: [],
      skipped,
      warnings: imported.warnings,
    };
  }, opts);
}

/** Adds the built-in list prices for every provider/model that has no active entry. */
export async function loadBuiltInPrices(opts: ChangeOptions): Promise<ChangeResult> {
  return runChange(async ({ client, active }) => {
    const skipped: Skip[] = [];
    const missing: PriceEntry[] = [];
    for (const e of builtInCatalogue()) {
      if (active.some((a) => sameKey(a, e))) skipped.push({ key: keyLabel(e), reason: "the price book already has an active entry for it" });
      else missing.push({ ...e, id: null });
    }
    const versions = await nextVersions(client, missing);
    return {
      kind: "import",
      format: "builtin",
      add: missing.map((e, i) => ({ ...e, version: versions[i]! })),
      retire: [],
      close: [],
      skipped,
      warnings: [],
    };
  }, opts);
}

// ---------------------------------------------------------------------------------------------------
// Contracts: the same change, with a discount instead of a price entry.

export async function createContract(contract: Contract, opts: ChangeOptions): Promise<ChangeResult> {
  return runChange(async () => ({ kind: "contract.create", add: [], retire: [], close: [], skipped: [], warnings: [], contracts: { add: [{ ...contract, id: null }], retire: [] } }), opts);
}

export async function retireContract(id: string, opts: ChangeOptions): Promise<ChangeResult> {
  return runChange(async ({ contracts }) => {
    const found = contracts.find((c) => c.id === id);
    if (!found) throw notFound("An active contract with this id");
    return { kind: "contract.retire", add: [], retire: [], close: [], skipped: [], warnings: [], contracts: { add: [], retire: [found] } };
  }, opts);
}
