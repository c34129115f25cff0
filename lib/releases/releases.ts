// Releases: record (idempotent on externalId), list, read and change them; every change audited.
// Who may change or justify one is lib/auth/policies.ts; releaseFacts() loads what it needs.
import type pg from "pg";
import type { Db } from "@/lib/db/client";
import { recordAudit, type Actor } from "@/lib/audit/record-audit";
import { badRequest, forbidden, notFound } from "@/lib/errors";
import { describe, type Principal } from "@/lib/auth/principal";
import { mayEditRelease, WHO_MAY_EDIT_RELEASE, type ReleaseFacts } from "@/lib/auth/policies";
import type { JustificationClass } from "@/lib/review/justification-classes";
import type { CreateReleaseInput, ListReleasesQuery, UpdateReleaseInput } from "@/lib/releases/schemas";
import { withTransaction } from "@/lib/db/transaction";
import { assertScenarioTouched, scenarioToAttach, type AttachedScenario } from "@/lib/releases/scenario-check";

export type JustificationView = {
  version: number;
  class: JustificationClass;
  text: string;
  author: string;
  authorId: string | null;
  at: string;
};

export type ReleaseView = {
  id: string;
  externalId: string | null;
  version: string;
  title: string;
  description: string | null;
  shippedAt: string;
  endpoints: string[];
  features: string[];
  /** The endpoints the release touched: those named, and those of the features named. */
  touchedEndpoints: string[];
  author: string | null;
  link: string | null;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  /** When the variance check first found that the release needs a justification (it then keeps needing one until justified). */
  justificationRequiredSince: string | null;
  /** The current (latest) justification, if one was written. */
  justification: JustificationView | null;
  /** The saved what-if scenario the release was decided on, and the candidate (1-based) that shipped. */
  scenarioId: string | null;
  scenarioCandidate: number | null;
};

type Row = {
  id: string;
  external_id: string | null;
  version: string;
  title: string;
  description: string | null;
  shipped_at: Date;
  endpoints: string[];
  features: string[];
  touched: string[] | null;
  author: string | null;
  link: string | null;
  created_by_label: string;
  created_at: Date;
  updated_at: Date;
  justification_required_at: Date | null;
  scenario_id: string | null;
  scenario_candidate: number | null;
  j_version: number | null;
  j_class: string | null;
  j_text: string | null;
  j_author: string | null;
  j_author_id: string | null;
  j_at: Date | null;
};

/** The endpoint slugs a release touches, as SQL over a row aliased r. */
export const TOUCHED_ENDPOINTS_SQL = `(SELECT coalesce(array_agg(DISTINCT x ORDER BY x), '{}') FROM (
    SELECT unnest(r.endpoints) AS x
    UNION SELECT en.slug FROM endpoints en JOIN features f ON f.id = en.feature_id WHERE f.slug = ANY(r.features)) t)`;

const SELECT = `SELECT r.id, r.external_id, r.version, r.title, r.description, r.shipped_at, r.endpoints, r.features,
    ${TOUCHED_ENDPOINTS_SQL} AS touched, r.author, r.link, r.created_by_label, r.created_at, r.updated_at, r.justification_required_at,
    r.scenario_id, r.scenario_candidate,
    j.version AS j_version, j.class AS j_class, j.text AS j_text, coalesce(ju.name, j.author_label) AS j_author, j.author_id AS j_author_id, j.created_at AS j_at
  FROM releases r
  LEFT JOIN LATERAL (SELECT * FROM release_justifications rj WHERE rj.release_id = r.id ORDER BY rj.version DESC LIMIT 1) j ON true
  LEFT JOIN users ju ON ju.id = j.author_id`;

function view(r: Row): ReleaseView {
  return {
    id: r.id,
    externalId: r.external_id,
    version: r.version,
    title: r.title,
    description: r.description,
    shippedAt: r.shipped_at.toISOString(),
    endpoints: r.endpoints,
    features: r.features,
    touchedEndpoints: r.touched ?? [],
    author: r.author,
    link: r.link,
    createdBy: r.created_by_label,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    justificationRequiredSince: r.justification_required_at ? r.justification_required_at.toISOString() : null,
    scenarioId: r.scenario_id,
    scenarioCandidate: r.scenario_id === null || r.scenario_candidate === null ? null : r.scenario_candidate + 1,
    justification:
      r.j_version === null
        ? null
        : {
            version: r.j_version,
            class: r.j_class as JustificationClass,
            text: r.j_text ?? "",
            author: r.j_author ?? "",
            authorId: r.j_author_id,
            at: r.j_at!.toISOString(),
          },
  };
}

/** The stored fields, as the audit log shows them. */
export function auditState(v: ReleaseView) {
  return {
    externalId: v.externalId,
    version: v.version,
    title: v.title,
    description: v.description,
    shippedAt: v.shippedAt,
    endpoints: v.endpoints,
    features: v.features,
    author: v.author,
    link: v.link,
    scenarioId: v.scenarioId,
    scenarioCandidate: v.scenarioCandidate,
  };
}

export async function getRelease(db: Db, id: string): Promise<ReleaseView | null> {
  const { rows } = await db.query<Row>(`${SELECT} WHERE r.id = $1`, [id]);
  return rows[0] ? view(rows[0]) : null;
}

/** What the object-level rules need to know about a release: its features' owners and the key that recorded it. */
export async function releaseFacts(db: Db, id: string): Promise<ReleaseFacts | null> {
  const { rows } = await db.query<{ created_by_key_id: string | null; owner_ids: string[] }>(
    `SELECT r.created_by_key_id,
       (SELECT coalesce(array_agg(DISTINCT f.owner_id::text), '{}') FROM features f
         WHERE f.owner_id IS NOT NULL
           AND (f.slug = ANY(r.features) OR f.id IN (SELECT en.feature_id FROM endpoints en WHERE en.slug = ANY(r.endpoints)))) AS owner_ids
     FROM releases r WHERE r.id = $1`,
    [id],
  );
  return rows[0] ? { createdByKeyId: rows[0].created_by_key_id, ownerIds: rows[0].owner_ids } : null;
}

/**
 * Records a release. With an externalId that is already recorded, nothing changes and the stored
 * release comes back with created=false, so a deploy pipeline can post the same release again safely.
 */
export async function createRelease(
  db: Db,
  input: CreateReleaseInput,
  actor: Actor & { keyId?: string | null },
): Promise<{ release: ReleaseView; created: boolean }> {
  return withTransaction(async (c) => {
    const scenario = input.scenarioId ? await scenarioToAttach(c, input.scenarioId, input.scenarioCandidate ?? 1) : null;
    const { rows } = await c.query<{ id: string }>(
      `INSERT INTO releases (external_id, version, title, description, shipped_at, endpoints, features, author, link, created_by_id, created_by_label, created_by_key_id,
         scenario_id, scenario_candidate)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
       ON CONFLICT (external_id) DO NOTHING RETURNING id`,
      [
        input.externalId,
        input.version,
        input.title,
        input.description,
        input.shippedAt ?? new Date(),
        input.endpoints,
        input.features,
        input.author,
        input.link,
        actor.id ?? null,
        actor.label,
        actor.keyId ?? null,
        scenario?.id ?? null,
        scenario ? scenario.candidate - 1 : null,
      ],
    );
    if (!rows[0]) {
      const existing = await c.query<{ id: string }>("SELECT id FROM releases WHERE external_id = $1", [input.externalId]);
      return { release: (await getRelease(c, existing.rows[0]!.id))!, created: false };
    }
    const release = (await getRelease(c, rows[0].id))!;
    if (scenario) assertScenarioTouched(release, scenario);
    await recordAudit(c, actor, { action: "release.create", entityType: "release", entityId: release.id, after: auditState(release) });
    return { release, created: true };
  }, { db });
}

/**
 * Locks the release and checks, on its stored state, that the principal may change it: 404 when it does
 * not exist, 403 (naming who may) when the principal may not. Call inside the editing transaction.
 */
export async function lockReleaseForEdit(c: pg.PoolClient, id: string, principal: Principal): Promise<ReleaseView> {
  const lock = await c.query("SELECT id FROM releases WHERE id = $1 FOR UPDATE", [id]);
  if (!lock.rows[0]) throw notFound("Release");
  const facts = (await releaseFacts(c, id))!;
  if (!mayEditRelease(principal, facts)) throw forbidden(`${WHO_MAY_EDIT_RELEASE} This release may not be changed by ${describe(principal)} here.`);
  return (await getRelease(c, id))!;
}

/** Writes the changed fields of a locked release and returns it as stored (the caller audits). */
export async function writeReleaseChange(c: pg.PoolClient, id: string, input: UpdateReleaseInput): Promise<ReleaseView> {
  const sets: string[] = [];
  const values: unknown[] = [];
  const set = (column: string, value: unknown) => {
    values.push(value);
    sets.push(`${column} = $${values.length}`);
  };
  if (input.version !== undefined) set("version", input.version);
  if (input.title !== undefined) set("title", input.title);
  if (input.description !== undefined) set("description", input.description);
  if (input.shippedAt !== undefined) set("shipped_at", input.shippedAt);
  if (input.endpoints !== undefined) set("endpoints", input.endpoints);
  if (input.features !== undefined) set("features", input.features);
  if (input.author !== undefined) set("author", input.author);
  if (input.link !== undefined) set("link", input.link);
  // The scenario: null detaches it; a new one (or a new candidate of the attached one) is checked first.
  const stored = input.scenarioId !== undefined || input.scenarioCandidate !== undefined ? (await getRelease(c, id))! : null;
  const scenarioId = input.scenarioId === undefined ? stored?.scenarioId ?? null : input.scenarioId;
  let scenario: AttachedScenario | null = null;
  if (stored && scenarioId === null && input.scenarioCandidate != null) {
    throw badRequest("The change is not valid: Candidate that shipped: pick the what-if scenario the candidate belongs to", [
      { path: "scenarioCandidate", message: "pick the what-if scenario the candidate belongs to" },
    ]);
  }
  if (stored && scenarioId === null) {
    set("scenario_id", null);
    set("scenario_candidate", null);
  } else if (stored && scenarioId !== null) {
    scenario = await scenarioToAttach(c, scenarioId, input.scenarioCandidate ?? (input.scenarioId === undefined || input.scenarioId === stored.scenarioId ? stored.scenarioCandidate : null) ?? 1);
    set("scenario_id", scenario.id);
    set("scenario_candidate", scenario.candidate - 1);
  }
  values.push(id);
  await c.query(`UPDATE releases SET ${sets.join(", ")}, updated_at = now() WHERE id = $${values.length}`, values);
  const changed = (await getRelease(c, id))!;
  // Checked on the release as changed, so a change of endpoints that drops the scenario's endpoint is refused too.
  if (changed.scenarioId !== null) assertScenarioTouched(changed, scenario ?? (await scenarioToAttach(c, changed.scenarioId, changed.scenarioCandidate ?? 1)));
  return changed;
}

/** Releases newest first, optionally only those touching an endpoint or feature, or shipped in [from, to). */
export async function listReleases(db: Db, q: Partial<ListReleasesQuery> = {}): Promise<ReleaseView[]> {
  const where: string[] = [];
  const values: unknown[] = [];
  const param = (v: unknown) => {
    values.push(v);
    return `$${values.length}`;
  };
  if (q.endpoint) where.push(`${param(q.endpoint)}::text = ANY(${TOUCHED_ENDPOINTS_SQL}::text[])`);
  if (q.feature) {
    const p = param(q.feature);
    where.push(`(${p} = ANY(r.features) OR r.endpoints && (SELECT coalesce(array_agg(en.slug), '{}') FROM endpoints en JOIN features f ON f.id = en.feature_id WHERE f.slug = ${p}))`);
  }
  if (q.from) where.push(`r.shipped_at >= ${param(q.from)}`);
  if (q.to) where.push(`r.shipped_at < ${param(q.to)}`);
  const { rows } = await db.query<Row>(
    `${SELECT} ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY r.shipped_at DESC, r.created_at DESC LIMIT ${param(q.limit ?? 200)}`,
    values,
  );
  return rows.map(view);
}
