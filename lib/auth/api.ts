// The guard for every route handler: authenticate (API key or session), authorize (permission),
// then run the handler; every failure becomes a JSON error with a code and a message that says
// how to fix it.
import { getServerSession } from "next-auth";
import { AppError, forbidden, unauthenticated } from "@/lib/errors";
import { authOptions, sessionUser } from "@/lib/auth/options";
import { requestHost } from "@/lib/auth/request-origin";
import { verifyApiKey } from "@/lib/auth/api-keys";
import { can, describe, type Principal } from "@/lib/auth/principal";
import type { Permission } from "@/lib/auth/permissions";
import { checkJson, checkPath, checkQuery, decodeUtf8 } from "@/lib/http/input";
import { readLimitedBytes } from "@/lib/http/body";

export type RouteContext = { params: Promise<Record<string, string>> };
export type Handler = (req: Request, ctx: RouteContext) => Promise<Response>;
type Access = { permission: Permission } | { authenticated: true } | { public: true };
type GuardedHandler = (args: { req: Request; principal: Principal; params: Record<string, string> }) => Promise<Response>;
type PublicHandler = (args: { req: Request; params: Record<string, string> }) => Promise<Response>;

export function errorResponse(err: unknown): Response {
  if (err instanceof AppError) {
    const headers: Record<string, string> = {};
    if (typeof err.details?.retryAfter === "number") headers["Retry-After"] = String(err.details.retryAfter);
    return Response.json({ error: { code: err.code, message: err.message, ...err.details } }, { status: err.status, headers });
  }
  console.error("unhandled error in route:", err);
  return Response.json(
    { error: { code: "internal", message: "Something went wrong on our side; the request was not applied. Try again." } },
    { status: 500 },
  );
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Session cookies are SameSite=Lax; this also refuses a changing request whose Origin is another site.
 * The host is the Host header, or X-Forwarded-Host only when TRUST_PROXY says a proxy sets it.
 */
function sameOrigin(req: Request): boolean {
  const origin = req.headers.get("origin");
  if (!origin) return true;
  const host = requestHost(req.headers);
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

async function authenticate(req: Request): Promise<Principal | null> {
  const header = req.headers.get("authorization");
  if (header) {
    const [scheme, token] = header.split(/\s+/, 2);
    if (scheme?.toLowerCase() !== "bearer" || !token) {
      throw unauthenticated("The Authorization header must be 'Bearer <api key>'. Did you forget 'Bearer '?");
    }
    const key = await verifyApiKey(token);
    if (!key) throw unauthenticated("This API key is not valid: it is unknown, revoked or mistyped.");
    return { kind: "apikey", key };
  }
  const session = (await getServerSession(authOptions())) as { uid?: string; sv?: number } | null;
  if (!session?.uid) return null;
  if (!SAFE_METHODS.has(req.method) && !sameOrigin(req)) {
    throw forbidden("Cross-site request refused: a session-authenticated change must come from this site.");
  }
  // Role, disabled flag and session version read fresh: a revoked session is no session.
  const user = await sessionUser(session);
  return user ? { kind: "user", user } : null;
}

/** The route parameters, once the path and the query hold only storable, well-encoded text (else a 400 naming the field). */
async function checkedInput(req: Request, ctx: RouteContext | undefined): Promise<Record<string, string>> {
  const params = (await ctx?.params) ?? {};
  checkPath(req.url, params);
  checkQuery(req.url);
  return params;
}

export function publicRoute(handler: PublicHandler): Handler {
  return async (req, ctx) => {
    try {
      return await handler({ req, params: await checkedInput(req, ctx) });
    } catch (err) {
      return errorResponse(err);
    }
  };
}

export function route(access: Exclude<Access, { public: true }>, handler: GuardedHandler): Handler {
  return async (req, ctx) => {
    try {
      const principal = await authenticate(req);
      if (!principal) throw unauthenticated();
      if ("permission" in access && !can(principal, access.permission)) {
        throw forbidden(`This needs the '${access.permission}' permission, which ${describe(principal)} does not have.`);
      }
      return await handler({ req, principal, params: await checkedInput(req, ctx) });
    } catch (err) {
      return errorResponse(err);
    }
  };
}

/**
 * The largest JSON body a route other than bulk ingest takes (price imports, invoice CSVs, settings).
 * Below the 10 MB at which Next.js cuts a body that passes through proxy.ts, so a cut body is refused (413).
 */
export const JSON_BODY_MAX_BYTES = 5 * 1024 * 1024;

/**
 * Parse a JSON body, turning a malformed one into a 400 that says so: invalid UTF-8, a number a double
 * would round, or a string with NUL or an unpaired surrogate is refused, naming the field.
 */
export async function jsonBody(req: Request): Promise<unknown> {
  const text = decodeUtf8(await readLimitedBytes(req, JSON_BODY_MAX_BYTES));
  if (!text.trim()) return {};
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch (e) {
    throw new AppError("invalid_json", 400, `The request body is not valid JSON: ${(e as Error).message}`);
  }
  checkJson(text, value);
  return value;
}
