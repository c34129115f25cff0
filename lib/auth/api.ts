// The guard for every route handler: authenticate (API key or session), authorize (permission),
// parse the path parameters, the query and the JSON body with the route's zod schemas, then run the
// handler with typed input; every failure becomes a JSON error with a code and a message that says
// how to fix it (a validation failure through lib/http/validation.ts, once for every route).
import { getServerSession } from "next-auth";
import { z } from "zod";
import { AppError, forbidden, notFound, unauthenticated } from "@/lib/errors";
import { authOptions, sessionUser } from "@/lib/auth/options";
import { requestHost } from "@/lib/auth/request-origin";
import { verifyApiKey } from "@/lib/auth/api-keys";
import { can, describe, type Principal } from "@/lib/auth/principal";
import type { Permission } from "@/lib/auth/permissions";
import { checkJson, checkPath, checkQuery, decodeUtf8 } from "@/lib/http/input";
import { readLimitedBytes } from "@/lib/http/body";
import { notFoundNameOf } from "@/lib/http/params";
import { errorResponse } from "@/lib/http/responses";
import { validate } from "@/lib/http/validation";

export type RouteContext = { params: Promise<Record<string, string>> };
export type Handler = (req: Request, ctx: RouteContext) => Promise<Response>;
/** `anyPermission`: any one of them lets the caller in; `refused` says who may (else the permissions are named). */
type Access = { permission: Permission } | { anyPermission: readonly Permission[]; refused?: string } | { authenticated: true } | { public: true };
type PublicHandler = (args: { req: Request; params: Record<string, string> }) => Promise<Response>;

/**
 * The route's input schemas. `params`: one schema per path parameter (uuidParam("Release") answers 404
 * for a malformed id); `query`: a zod object over the query parameters (each a string); `body`: the JSON
 * body (read with jsonBody). Schemas live in lib/<domain>/schemas.ts; shared parameters in lib/http/params.ts.
 */
type Schemas<P extends z.ZodRawShape, Q, B> = { params?: P; query?: z.ZodType<Q>; body?: z.ZodType<B> };
type Input<P extends z.ZodRawShape, Q, B> = {
  req: Request;
  principal: Principal;
  /** The path parameters: parsed by the `params` schemas, the raw strings for any other. */
  params: Record<string, string> & z.output<z.ZodObject<P>>;
  query: Q;
  body: B;
};

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

function parseParams(shape: z.ZodRawShape, raw: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...raw };
  for (const [name, schema] of Object.entries(shape)) {
    const what = notFoundNameOf(schema);
    if (what !== undefined) {
      const r = z.safeParse(schema, raw[name]);
      if (!r.success) throw notFound(what);
      out[name] = r.data;
    } else {
      out[name] = validate(z.object({ [name]: schema }), { [name]: raw[name] }, "path")[name];
    }
  }
  return out;
}

export function route<P extends z.ZodRawShape = Record<never, never>, Q = undefined, B = undefined>(
  access: Exclude<Access, { public: true }> & Schemas<P, Q, B>,
  handler: (args: Input<P, Q, B>) => Promise<Response>,
): Handler {
  return async (req, ctx) => {
    try {
      const principal = await authenticate(req);
      if (!principal) throw unauthenticated();
      if ("permission" in access && !can(principal, access.permission)) {
        throw forbidden(`This needs the '${access.permission}' permission, which ${describe(principal)} does not have.`);
      }
      if ("anyPermission" in access && !access.anyPermission.some((p) => can(principal, p))) {
        const needs = access.refused ?? `This needs one of the permissions ${access.anyPermission.map((p) => `'${p}'`).join(", ")}`;
        throw forbidden(`${needs}; ${describe(principal)} may not.`);
      }
      const raw = await checkedInput(req, ctx);
      const params = access.params ? parseParams(access.params, raw) : raw;
      const query = access.query ? validate(access.query, Object.fromEntries(new URL(req.url).searchParams), "query") : undefined;
      const body = access.body ? validate(access.body, await jsonBody(req), "request body") : undefined;
      return await handler({ req, principal, params, query, body } as Input<P, Q, B>);
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
