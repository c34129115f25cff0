// Runs before every page and most API routes:
// - refuses URLs that are not percent-encoded UTF-8 (Next.js would fail to decode them with a plain-text
//   500): a JSON 400 on the API, the app's "not found" page elsewhere;
// - sends signed-out visitors of a page to the sign-in page, remembering where they were going
//   (convenience only: every page and route checks the session and the role itself);
// - adds Strict-Transport-Security to pages when the app is served over https (NEXTAUTH_URL https or a
//   trusted proxy; next.config.ts covers the rest for a trusted proxy).
// The bulk ingest routes (events, OTLP, quality) stay out of the proxy: Next.js buffers the body of every
// request that passes through it and cuts it at 10 MB, and those bodies may be as large as
// INGEST_MAX_BYTES. They have no dynamic segments, so a bad encoding in their paths matches no route.
// Every other route reads its body through jsonBody, which refuses more than JSON_BODY_MAX_BYTES (less
// than the proxy's 10 MB), so a cut body is always refused, never read short.
import { getToken } from "next-auth/jwt";
import { NextResponse, type NextRequest } from "next/server";
import { env } from "@/lib/env";
import { servedOverHttps } from "@/lib/auth/request-origin";
import { badUrlEncoding } from "@/lib/http/input";

const HSTS = "max-age=31536000; includeSubDomains";

function withHsts(req: NextRequest, res: NextResponse): NextResponse {
  if (servedOverHttps(req.headers)) res.headers.set("Strict-Transport-Security", HSTS);
  return res;
}

export async function proxy(req: NextRequest) {
  const path = req.nextUrl.pathname;
  const bad = badUrlEncoding(req.url);
  if (bad) {
    if (path.startsWith("/api/")) {
      return NextResponse.json({ error: { code: "invalid_request", message: bad.message, errors: [{ path: bad.field, message: bad.message }] } }, { status: 400 });
    }
    // A page: the app's own "not found" page (no page has such a name).
    return NextResponse.rewrite(new URL("/_invalid-url", req.url));
  }
  // The API answers 401 itself; the home page, the sign-in page and the unsubscribe page stay public.
  if (path.startsWith("/api/")) return NextResponse.next();
  // An email's unsubscribe page needs no sign-in: its signed link is the proof (lib/notify/preferences.ts).
  if (path === "/" || path.startsWith("/signin") || path === "/unsubscribe") return withHsts(req, NextResponse.next());
  const token = await getToken({ req, secret: env().NEXTAUTH_SECRET });
  if (token) return withHsts(req, NextResponse.next());
  const url = req.nextUrl.clone();
  url.pathname = "/signin";
  url.search = `?callbackUrl=${encodeURIComponent(req.nextUrl.pathname + req.nextUrl.search)}`;
  return withHsts(req, NextResponse.redirect(url));
}

export const config = {
  // Everything but Next's own assets and the bulk ingest routes (see above).
  matcher: ["/((?!_next/|icon.svg|favicon.ico|api/v1/events|api/v1/otlp/|api/v1/quality).*)"],
};
