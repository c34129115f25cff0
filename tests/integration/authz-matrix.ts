// The expected authorization matrix: every route handler, page and server action, and who may use it.
// It is written out by hand, independently of lib/auth/permissions.ts, so that widening a role's access
// or adding a route without deciding who may call it fails the authorization test.

import type { PrincipalName } from "../support/principals";

export { PRINCIPALS, type PrincipalName } from "../support/principals";

const ANY_SIGNED_IN: PrincipalName[] = ["viewer", "owner", "finance", "admin", "key:ingest", "key:admin"];
const REVIEW_READERS: PrincipalName[] = ["viewer", "owner", "finance", "admin", "key:admin"];
const ADMINS: PrincipalName[] = ["admin", "key:admin"];
const FINANCE: PrincipalName[] = ["finance", "admin", "key:admin"];
/** Open and close review sessions, justify own features' items, create follow-ups. */
const REVIEW_WRITERS: PrincipalName[] = ["owner", "admin", "key:admin"];

const NIL_ID = "00000000-0000-4000-8000-000000000000";
/** A request the authorization test ingests one event for, so its pages have something to show. */
export const MATRIX_REQUEST_ID = "authz-matrix-request";

export type RouteEntry = {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** The route as its file path names it, e.g. /api/v1/users/[id]. */
  route: string;
  /** A concrete URL to call. Mutations send a body that fails validation, so allowed calls change nothing. */
  path?: string;
  body?: unknown;
  allow: "public" | PrincipalName[];
};

export const ROUTES: RouteEntry[] = [
  { method: "GET", route: "/api/health", allow: "public" },
  { method: "GET", route: "/api/auth/[...nextauth]", path: "/api/auth/providers", allow: "public" },
  { method: "POST", route: "/api/auth/[...nextauth]", path: "/api/auth/_log", body: {}, allow: "public" },
  { method: "GET", route: "/api/v1/me", allow: ANY_SIGNED_IN },
  // A person's own notification preferences: people only (an API key has none).
  { method: "GET", route: "/api/v1/me/notifications", allow: ["viewer", "owner", "finance", "admin"] },
  { method: "PUT", route: "/api/v1/me/notifications", body: { preferences: { "review.digest": "pigeon" } }, allow: ["viewer", "owner", "finance", "admin"] },
  // An email's unsubscribe link: the signature is the proof (without one: 400).
  { method: "POST", route: "/api/v1/unsubscribe", allow: "public" },
  { method: "GET", route: "/api/v1/endpoints", allow: REVIEW_READERS },
  { method: "GET", route: "/api/v1/users", allow: ADMINS },
  { method: "POST", route: "/api/v1/users", body: { email: "not-an-email" }, allow: ADMINS },
  { method: "PATCH", route: "/api/v1/users/[id]", path: `/api/v1/users/${NIL_ID}`, body: {}, allow: ADMINS },
  { method: "GET", route: "/api/v1/api-keys", allow: ADMINS },
  { method: "POST", route: "/api/v1/api-keys", body: { scope: "root" }, allow: ADMINS },
  { method: "DELETE", route: "/api/v1/api-keys/[id]", path: `/api/v1/api-keys/${NIL_ID}`, allow: ADMINS },
  { method: "GET", route: "/api/v1/audit", allow: ADMINS },
  { method: "GET", route: "/api/v1/weekly", path: "/api/v1/weekly?week=not-a-week", allow: REVIEW_READERS },
  { method: "GET", route: "/api/v1/cost-per-request", path: "/api/v1/cost-per-request?from=x", allow: REVIEW_READERS },
  { method: "GET", route: "/api/v1/settings/review", allow: REVIEW_READERS },
  { method: "GET", route: "/api/v1/why-it-moved", path: "/api/v1/why-it-moved?endpoint=chat.answer", allow: REVIEW_READERS },
  { method: "GET", route: "/api/v1/coverage", path: "/api/v1/coverage?week=2026-W24", allow: REVIEW_READERS },
  { method: "PUT", route: "/api/v1/settings/review", body: { timezone: "Mars/Olympus" }, allow: ADMINS },
  { method: "POST", route: "/api/v1/rollups/refresh", path: "/api/v1/rollups/refresh?full=0", allow: ADMINS },
  { method: "GET", route: "/api/v1/prices", allow: ADMINS },
  { method: "POST", route: "/api/v1/prices", body: { entry: {}, dryRun: true }, allow: ADMINS },
  { method: "PATCH", route: "/api/v1/prices/[id]", path: `/api/v1/prices/${NIL_ID}`, body: { entry: {}, dryRun: true }, allow: ADMINS },
  { method: "DELETE", route: "/api/v1/prices/[id]", path: `/api/v1/prices/${NIL_ID}?dryRun=1`, allow: ADMINS },
  { method: "POST", route: "/api/v1/prices/import", body: { format: "csv" }, allow: ADMINS },
  { method: "GET", route: "/api/v1/contracts", allow: ADMINS },
  { method: "POST", route: "/api/v1/contracts", body: { contract: {}, dryRun: true }, allow: ADMINS },
  { method: "DELETE", route: "/api/v1/contracts/[id]", path: `/api/v1/contracts/${NIL_ID}?dryRun=1`, allow: ADMINS },
  { method: "POST", route: "/api/v1/events", body: { events: [] }, allow: ["admin", "key:ingest", "key:admin"] },
  // An empty OTLP/JSON export: accepted and changes nothing.
  { method: "POST", route: "/api/v1/otlp/v1/traces", body: {}, allow: ["admin", "key:ingest", "key:admin"] },
  { method: "GET", route: "/api/v1/gpu-pools", allow: REVIEW_READERS },
  { method: "POST", route: "/api/v1/gpu-pools", body: { name: "" }, allow: ADMINS },
  { method: "PATCH", route: "/api/v1/gpu-pools/[id]", path: `/api/v1/gpu-pools/${NIL_ID}`, body: { hourlyUsd: -1 }, allow: ADMINS },
  { method: "DELETE", route: "/api/v1/gpu-pools/[id]", path: `/api/v1/gpu-pools/${NIL_ID}`, allow: ADMINS },
  { method: "GET", route: "/api/v1/gpu-pools/utilisation", allow: REVIEW_READERS },
  { method: "GET", route: "/api/v1/settings/overhead", allow: REVIEW_READERS },
  { method: "PUT", route: "/api/v1/settings/overhead", body: { globalPercent: "-1" }, allow: ADMINS },
  { method: "GET", route: "/api/v1/requests/[requestId]", path: `/api/v1/requests/${MATRIX_REQUEST_ID}`, allow: REVIEW_READERS },
  { method: "GET", route: "/api/v1/finance/monthly", path: "/api/v1/finance/monthly?month=2026-01&groupBy=team", allow: FINANCE },
  { method: "GET", route: "/api/v1/finance/chargeback", path: "/api/v1/finance/chargeback?month=2026-01&by=team", allow: FINANCE },
  { method: "GET", route: "/api/v1/finance/reconciliation", path: "/api/v1/finance/reconciliation?month=2026-01", allow: FINANCE },
  { method: "PUT", route: "/api/v1/finance/invoices", body: { month: "2026-01", invoices: [] }, allow: FINANCE },
  { method: "GET", route: "/api/v1/finance/reconciliation/daily", path: "/api/v1/finance/reconciliation/daily?month=2026-01", allow: FINANCE },
  { method: "POST", route: "/api/v1/finance/provider-costs", body: { provider: "openai", pages: [] }, allow: FINANCE },
  { method: "POST", route: "/api/v1/finance/provider-costs/pull", body: { provider: "openai", from: "2026-01-02", to: "2026-01-01" }, allow: FINANCE },
  { method: "GET", route: "/api/v1/finance/settings", allow: FINANCE },
  { method: "PUT", route: "/api/v1/finance/settings", body: { tolerancePct: "-1" }, allow: FINANCE },
  { method: "GET", route: "/api/v1/finance/months/[month]", path: "/api/v1/finance/months/2026-01", allow: FINANCE },
  { method: "PATCH", route: "/api/v1/finance/months/[month]", path: "/api/v1/finance/months/2026-01", body: { closed: "yes" }, allow: FINANCE },
  { method: "GET", route: "/api/v1/customers", path: "/api/v1/customers?month=2026-01", allow: FINANCE },
  { method: "GET", route: "/api/v1/customers/[id]", path: "/api/v1/customers/authz-nobody?month=2026-01", allow: FINANCE },
  { method: "PATCH", route: "/api/v1/customers/[id]", path: "/api/v1/customers/authz-nobody", body: { plan: 7 }, allow: FINANCE },
  { method: "PUT", route: "/api/v1/customer-revenue", body: { rows: [] }, allow: FINANCE },
  { method: "GET", route: "/api/v1/plan-revenue-rates", allow: FINANCE },
  { method: "PUT", route: "/api/v1/plan-revenue-rates", body: { rates: [] }, allow: FINANCE },
  { method: "GET", route: "/api/v1/margin", path: "/api/v1/margin?month=2026-01", allow: FINANCE },
  { method: "GET", route: "/api/v1/budgets", allow: REVIEW_READERS },
  { method: "POST", route: "/api/v1/budgets", body: { scope: "galaxy" }, allow: ["owner", "finance", "admin", "key:admin"] },
  { method: "GET", route: "/api/v1/budgets/[id]", path: `/api/v1/budgets/${NIL_ID}`, allow: REVIEW_READERS },
  { method: "PATCH", route: "/api/v1/budgets/[id]", path: `/api/v1/budgets/${NIL_ID}`, body: { amountUsd: "-1" }, allow: ["owner", "finance", "admin", "key:admin"] },
  { method: "DELETE", route: "/api/v1/budgets/[id]", path: `/api/v1/budgets/${NIL_ID}`, allow: ["owner", "finance", "admin", "key:admin"] },
  { method: "POST", route: "/api/v1/budgets/[id]/acknowledge", path: `/api/v1/budgets/${NIL_ID}/acknowledge?month=bad`, allow: REVIEW_READERS },
  { method: "POST", route: "/api/v1/budgets/check", allow: ADMINS },
  { method: "GET", route: "/api/v1/releases", path: "/api/v1/releases?from=not-a-time", allow: REVIEW_READERS },
  // Deploy pipelines (ingest or admin keys), admins and feature owners record releases.
  { method: "POST", route: "/api/v1/releases", body: { version: "" }, allow: ["owner", "admin", "key:ingest", "key:admin"] },
  { method: "GET", route: "/api/v1/releases/[id]", path: `/api/v1/releases/${NIL_ID}`, allow: REVIEW_READERS },
  { method: "PATCH", route: "/api/v1/releases/[id]", path: `/api/v1/releases/${NIL_ID}`, body: {}, allow: ["owner", "admin", "key:ingest", "key:admin"] },
  {
    method: "POST",
    route: "/api/v1/releases/[id]/justification",
    path: `/api/v1/releases/${NIL_ID}/justification`,
    body: { class: "because" },
    allow: ["owner", "admin", "key:admin"],
  },
  { method: "GET", route: "/api/v1/settings/releases", allow: REVIEW_READERS },
  { method: "PUT", route: "/api/v1/settings/releases", body: { windowDays: 0 }, allow: ADMINS },
  // The review workflow.
  { method: "GET", route: "/api/v1/review-sessions", path: "/api/v1/review-sessions?week=not-a-week", allow: REVIEW_READERS },
  { method: "POST", route: "/api/v1/review-sessions", body: { week: "not-a-week" }, allow: REVIEW_WRITERS },
  { method: "GET", route: "/api/v1/review-sessions/[id]", path: `/api/v1/review-sessions/${NIL_ID}`, allow: REVIEW_READERS },
  { method: "POST", route: "/api/v1/review-sessions/[id]/close", path: `/api/v1/review-sessions/${NIL_ID}/close`, body: { attendeeIds: "x" }, allow: REVIEW_WRITERS },
  { method: "POST", route: "/api/v1/review-sessions/[id]/reopen", path: `/api/v1/review-sessions/${NIL_ID}/reopen`, allow: ADMINS },
  { method: "PUT", route: "/api/v1/review-sessions/[id]/attendees", path: `/api/v1/review-sessions/${NIL_ID}/attendees`, body: { userIds: "x" }, allow: REVIEW_WRITERS },
  { method: "GET", route: "/api/v1/review-sessions/[id]/minutes", path: `/api/v1/review-sessions/${NIL_ID}/minutes?format=md`, allow: REVIEW_READERS },
  { method: "PUT", route: "/api/v1/review-items/[id]/justification", path: `/api/v1/review-items/${NIL_ID}/justification`, body: { class: "nope" }, allow: REVIEW_WRITERS },
  { method: "POST", route: "/api/v1/review-items/[id]/comments", path: `/api/v1/review-items/${NIL_ID}/comments`, body: { text: "" }, allow: REVIEW_READERS },
  { method: "POST", route: "/api/v1/review-items/[id]/accept", path: `/api/v1/review-items/${NIL_ID}/accept`, body: { reason: "" }, allow: ADMINS },
  { method: "GET", route: "/api/v1/follow-ups", path: "/api/v1/follow-ups?status=nope", allow: REVIEW_READERS },
  { method: "POST", route: "/api/v1/follow-ups", body: { title: "" }, allow: REVIEW_WRITERS },
  { method: "PATCH", route: "/api/v1/follow-ups/[id]", path: `/api/v1/follow-ups/${NIL_ID}`, body: { status: "nope" }, allow: REVIEW_READERS },
  { method: "GET", route: "/api/v1/my-work", allow: REVIEW_READERS },
  { method: "POST", route: "/api/v1/quality", body: { rows: "not-a-list" }, allow: ["admin", "key:ingest", "key:admin"] },
  { method: "GET", route: "/api/v1/quality", path: "/api/v1/quality?endpoint=chat.answer", allow: REVIEW_READERS },
  { method: "GET", route: "/api/v1/targets", allow: REVIEW_READERS },
  // Owners pass the guard (they may set their own features' targets); the body fails validation first.
  { method: "PUT", route: "/api/v1/targets", body: { endpoint: "" }, allow: ["owner", "admin", "key:admin"] },
  // What if: a read-only replay of an endpoint's requests, for whoever reads the review (the body fails validation).
  { method: "POST", route: "/api/v1/whatif", body: { endpoint: "chat.answer", candidates: [] }, allow: REVIEW_READERS },
  // Saved scenarios: listed and opened by review readers, saved by owners and admins.
  { method: "GET", route: "/api/v1/scenarios", allow: REVIEW_READERS },
  { method: "POST", route: "/api/v1/scenarios", body: { name: "" }, allow: REVIEW_WRITERS },
  { method: "GET", route: "/api/v1/scenarios/[id]", path: `/api/v1/scenarios/${NIL_ID}`, allow: REVIEW_READERS },
  // A CI pipeline asks the gate with the ingest key it already has.
  { method: "GET", route: "/api/v1/gate", path: "/api/v1/gate?endpoint=chat.answer&since=not-a-time", allow: ANY_SIGNED_IN },
  { method: "GET", route: "/api/v1/incidents", allow: REVIEW_READERS },
  { method: "POST", route: "/api/v1/incidents/[id]/resolve", path: `/api/v1/incidents/${NIL_ID}/resolve`, body: { note: "" }, allow: ["owner", "admin", "key:admin"] },
  { method: "POST", route: "/api/v1/incidents/detect", body: { from: "not-a-time" }, allow: ADMINS },
  // Notifications: channels (their secrets), test messages, the delivery log and its dead letters.
  { method: "GET", route: "/api/v1/notifications/channels", allow: ADMINS },
  { method: "POST", route: "/api/v1/notifications/channels", body: { kind: "webhook", url: "ftp://example.com" }, allow: ADMINS },
  { method: "PUT", route: "/api/v1/notifications/channels/[id]", path: `/api/v1/notifications/channels/${NIL_ID}`, body: { kind: "pager" }, allow: ADMINS },
  { method: "DELETE", route: "/api/v1/notifications/channels/[id]", path: `/api/v1/notifications/channels/${NIL_ID}`, allow: ADMINS },
  { method: "POST", route: "/api/v1/notifications/test", body: { channelId: "x" }, allow: ADMINS },
  { method: "GET", route: "/api/v1/notifications/deliveries", allow: ADMINS },
  { method: "POST", route: "/api/v1/notifications/deliveries/[id]/retry", path: "/api/v1/notifications/deliveries/999999999/retry", allow: ADMINS },
  { method: "GET", route: "/api/v1/settings/notifications", allow: ADMINS },
  { method: "PUT", route: "/api/v1/settings/notifications", body: { maxAttempts: 0 }, allow: ADMINS },
  { method: "GET", route: "/api/v1/settings/notifications/digest", allow: ADMINS },
  { method: "PUT", route: "/api/v1/settings/notifications/digest", body: { day: 8 }, allow: ADMINS },
];

export type PageEntry = { route: string; path?: string; allow: "public" | PrincipalName[] };

const PEOPLE = (names: PrincipalName[]) => names.filter((n) => !n.startsWith("key:"));

export const PAGES: PageEntry[] = [
  { route: "/", allow: PEOPLE(ANY_SIGNED_IN) },
  { route: "/signin", allow: "public" },
  { route: "/review", allow: PEOPLE(REVIEW_READERS) },
  { route: "/review/[week]", path: "/review/2026-W24", allow: PEOPLE(REVIEW_READERS) },
  { route: "/coverage/[week]", path: "/coverage/2026-W24", allow: PEOPLE(REVIEW_READERS) },
  { route: "/endpoints", allow: PEOPLE(REVIEW_READERS) },
  { route: "/releases", allow: PEOPLE(REVIEW_READERS) },
  // {releaseId} is replaced by the id of the oldest demo release.
  { route: "/releases/[id]", path: "/releases/{releaseId}", allow: PEOPLE(REVIEW_READERS) },
  { route: "/follow-ups", allow: PEOPLE(REVIEW_READERS) },
  { route: "/finance", allow: ["finance", "admin"] },
  { route: "/finance/[month]", path: "/finance/2026-01", allow: ["finance", "admin"] },
  { route: "/customers", allow: ["finance", "admin"] },
  { route: "/customers/[month]", path: "/customers/2026-01", allow: ["finance", "admin"] },
  { route: "/customers/[month]/[id]", path: "/customers/2026-01/acme", allow: ["finance", "admin"] },
  { route: "/settings", allow: ["admin"] },
  { route: "/settings/api-keys", allow: ["admin"] },
  { route: "/settings/audit", allow: ["admin"] },
  { route: "/settings/notifications", allow: ["admin"] },
  { route: "/settings/upload", allow: ["admin"] },
  { route: "/settings/gpu", allow: ["admin"] },
  { route: "/settings/review", allow: ["admin"] },
  // {endpointId} is replaced by the id of the demo endpoint chat.answer.
  { route: "/endpoints/[id]", path: "/endpoints/{endpointId}", allow: PEOPLE(REVIEW_READERS) },
  { route: "/requests/[requestId]", path: `/requests/${MATRIX_REQUEST_ID}`, allow: PEOPLE(REVIEW_READERS) },
  { route: "/settings/prices", allow: ["admin"] },
  { route: "/my-work", allow: PEOPLE(REVIEW_READERS) },
  { route: "/my-work/notifications", allow: PEOPLE(ANY_SIGNED_IN) },
  { route: "/unsubscribe", allow: "public" },
  { route: "/review/[week]/session", path: "/review/2026-W24/session", allow: PEOPLE(REVIEW_READERS) },
  { route: "/review/[week]/minutes", path: "/review/2026-W24/minutes", allow: PEOPLE(REVIEW_READERS) },
  { route: "/incidents", allow: PEOPLE(REVIEW_READERS) },
  { route: "/incidents/[id]", path: `/incidents/${NIL_ID}`, allow: PEOPLE(REVIEW_READERS) },
  { route: "/budgets", allow: PEOPLE(REVIEW_READERS) },
  { route: "/budgets/[id]", path: `/budgets/${NIL_ID}`, allow: PEOPLE(REVIEW_READERS) },
  { route: "/whatif", allow: PEOPLE(REVIEW_READERS) },
  { route: "/whatif/new", path: "/whatif/new?endpoint=chat.answer", allow: PEOPLE(REVIEW_READERS) },
  { route: "/whatif/[id]", path: `/whatif/${NIL_ID}`, allow: PEOPLE(REVIEW_READERS) },
];

/** Server actions ("use server" exports). Mutations go through route handlers, so there are none. */
export const SERVER_ACTIONS: { file: string; exportName: string; allow: PrincipalName[] }[] = [];

// Object-level cases: the route guard lets both callers in, the object decides. Owner A
// (owner@example.com, features chat and summaries) acts on objects of owner B (sam@example.com,
// semantic-search and ticket-triage); an ingest key acts on a release another ingest key recorded.
// Each case is run twice: every refused caller gets 403 and the object (and its audit trail) stays
// exactly as it was; then the allowed caller makes the same kind of change and the object does change.

/** "sam" is owner B; "key:ingest-other" is an ingest key that is not the matrix's key:ingest. */
export type ObjectActor = "owner" | "sam" | "admin" | "key:ingest" | "key:ingest-other";

/** The kinds of object the test creates afresh for every case (owner B's, unless said otherwise). */
export type ObjectKind =
  | "release" // touches sam's feature, recorded by an admin key
  | "keyRelease" // touches sam's feature, recorded by key:ingest-other
  | "item" // a review item on sam's endpoint, in an open session
  | "followUp" // assigned to sam, created by the admin
  | "targets" // the targets of sam's endpoint
  | "incident"; // a cost incident with sam as triage owner

export type ObjectCase = {
  name: string;
  kind: ObjectKind;
  method: "POST" | "PUT" | "PATCH";
  /** {id} is the object's id; {endpoint} sam's endpoint slug. */
  path: string;
  body: unknown;
  refused: ObjectActor[];
  allowed: ObjectActor;
  allowedBody?: unknown;
};

export const OBJECT_CASES: ObjectCase[] = [
  { name: "rename a release", kind: "release", method: "PATCH", path: "/api/v1/releases/{id}", body: { title: "Renamed by someone else" }, refused: ["owner", "key:ingest"], allowed: "sam" },
  { name: "add one's own feature to another feature's release", kind: "release", method: "PATCH", path: "/api/v1/releases/{id}", body: { features: ["semantic-search", "chat"] }, refused: ["owner", "key:ingest"], allowed: "sam", allowedBody: { features: ["semantic-search", "ticket-triage"] } },
  { name: "move a release's shippedAt to 2015", kind: "release", method: "PATCH", path: "/api/v1/releases/{id}", body: { shippedAt: "2015-01-01T00:00:00Z" }, refused: ["owner", "key:ingest"], allowed: "sam" },
  { name: "justify a release", kind: "release", method: "POST", path: "/api/v1/releases/{id}/justification", body: { class: "launch", text: "Not mine to say." }, refused: ["owner"], allowed: "sam" },
  { name: "change a release another ingest key recorded", kind: "keyRelease", method: "PATCH", path: "/api/v1/releases/{id}", body: { title: "Renamed by another pipeline" }, refused: ["key:ingest", "owner"], allowed: "key:ingest-other" },
  { name: "justify a review item", kind: "item", method: "PUT", path: "/api/v1/review-items/{id}/justification", body: { class: "launch", text: "Not my feature." }, refused: ["owner"], allowed: "sam" },
  { name: "accept a review item without a justification", kind: "item", method: "POST", path: "/api/v1/review-items/{id}/accept", body: { reason: "Looks fine to me." }, refused: ["owner", "sam"], allowed: "admin" },
  { name: "edit a follow-up's details", kind: "followUp", method: "PATCH", path: "/api/v1/follow-ups/{id}", body: { title: "Hijacked", dueDate: "2030-01-01" }, refused: ["owner"], allowed: "sam" },
  { name: "close a follow-up", kind: "followUp", method: "PATCH", path: "/api/v1/follow-ups/{id}", body: { status: "done" }, refused: ["owner"], allowed: "sam" },
  { name: "set an endpoint's targets", kind: "targets", method: "PUT", path: "/api/v1/targets", body: { endpoint: "{endpoint}", targets: [{ targetCost: "0.000001" }] }, refused: ["owner"], allowed: "sam" },
  { name: "resolve a cost incident", kind: "incident", method: "POST", path: "/api/v1/incidents/{id}/resolve", body: { note: "Nothing to see here." }, refused: ["owner"], allowed: "sam" },
];
