// The expected authorization matrix: every route handler, page and server action, and who may use it.
// It is written out by hand, independently of lib/auth/permissions.ts, so that widening a role's access
// or adding a route without deciding who may call it fails the authorization test.

export const PRINCIPALS = ["anonymous", "viewer", "owner", "finance", "admin", "key:ingest", "key:admin"] as const;
export type PrincipalName = (typeof PRINCIPALS)[number];

const ANY_SIGNED_IN: PrincipalName[] = ["viewer", "owner", "finance", "admin", "key:ingest", "key:admin"];
const REVIEW_READERS: PrincipalName[] = ["viewer", "owner", "finance", "admin", "key:admin"];
const ADMINS: PrincipalName[] = ["admin", "key:admin"];
const FINANCE: PrincipalName[] = ["finance", "admin", "key:admin"];

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
  { method: "PUT", route: "/api/v1/settings/review", body: { timezone: "Mars/Olympus" }, allow: ADMINS },
  { method: "POST", route: "/api/v1/rollups/refresh", path: "/api/v1/rollups/refresh?full=0", allow: ADMINS },
  { method: "GET", route: "/api/v1/prices", allow: ADMINS },
  { method: "POST", route: "/api/v1/prices", body: { entry: {}, dryRun: true }, allow: ADMINS },
  { method: "PATCH", route: "/api/v1/prices/[id]", path: `/api/v1/prices/${NIL_ID}`, body: { entry: {}, dryRun: true }, allow: ADMINS },
  { method: "DELETE", route: "/api/v1/prices/[id]", path: `/api/v1/prices/${NIL_ID}?dryRun=1`, allow: ADMINS },
  { method: "POST", route: "/api/v1/prices/import", body: { format: "csv" }, allow: ADMINS },
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
  { method: "GET", route: "/api/v1/finance/settings", allow: FINANCE },
  { method: "PUT", route: "/api/v1/finance/settings", body: { tolerancePct: "-1" }, allow: FINANCE },
  { method: "GET", route: "/api/v1/finance/months/[month]", path: "/api/v1/finance/months/2026-01", allow: FINANCE },
  { method: "PATCH", route: "/api/v1/finance/months/[month]", path: "/api/v1/finance/months/2026-01", body: { closed: "yes" }, allow: FINANCE },
];

export type PageEntry = { route: string; path?: string; allow: "public" | PrincipalName[] };

const PEOPLE = (names: PrincipalName[]) => names.filter((n) => !n.startsWith("key:"));

export const PAGES: PageEntry[] = [
  { route: "/", allow: PEOPLE(ANY_SIGNED_IN) },
  { route: "/signin", allow: "public" },
  { route: "/review", allow: PEOPLE(REVIEW_READERS) },
  { route: "/review/[week]", path: "/review/2026-W24", allow: PEOPLE(REVIEW_READERS) },
  { route: "/endpoints", allow: PEOPLE(REVIEW_READERS) },
  { route: "/releases", allow: PEOPLE(REVIEW_READERS) },
  { route: "/follow-ups", allow: PEOPLE(REVIEW_READERS) },
  { route: "/finance", allow: ["finance", "admin"] },
  { route: "/finance/[month]", path: "/finance/2026-01", allow: ["finance", "admin"] },
  { route: "/settings", allow: ["admin"] },
  { route: "/settings/api-keys", allow: ["admin"] },
  { route: "/settings/audit", allow: ["admin"] },
  { route: "/settings/upload", allow: ["admin"] },
  { route: "/settings/gpu", allow: ["admin"] },
  // {endpointId} is replaced by the id of the demo endpoint chat.answer.
  { route: "/endpoints/[id]", path: "/endpoints/{endpointId}", allow: PEOPLE(REVIEW_READERS) },
  { route: "/requests/[requestId]", path: `/requests/${MATRIX_REQUEST_ID}`, allow: PEOPLE(REVIEW_READERS) },
  { route: "/settings/prices", allow: ["admin"] },
];

/** Server actions ("use server" exports). Mutations go through route handlers, so there are none. */
export const SERVER_ACTIONS: { file: string; exportName: string; allow: PrincipalName[] }[] = [];
