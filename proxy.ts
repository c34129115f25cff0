// Sends signed-out visitors of a page to the sign-in page, remembering where they were going
// (convenience only: every page and route checks the session and the role itself), and adds
// Strict-Transport-Security to pages when the app is served over https (NEXTAUTH_URL https or a trusted
// proxy; next.config.ts covers the rest for a trusted proxy). API routes stay out of the proxy: it would
// buffer and cap their request bodies (ingest batches).
import { getToken } from "next-auth/jwt";
import { NextResponse, type NextRequest } from "next/server";
import { env } from "@/lib/env";
import { servedOverHttps } from "@/lib/auth/request-origin";

const HSTS = "max-age=31536000; includeSubDomains";

function withHsts(req: NextRequest, res: NextResponse): NextResponse {
  if (servedOverHttps(req.headers)) res.headers.set("Strict-Transport-Security", HSTS);
  return res;
}

export async function proxy(req: NextRequest) {
  const path = req.nextUrl.pathname;
  // The home page and the sign-in page stay public.
  if (path === "/" || path.startsWith("/signin")) {
    return withHsts(req, NextResponse.next());
  }
  const token = await getToken({ req, secret: env().NEXTAUTH_SECRET });
  if (token) return withHsts(req, NextResponse.next());
  const url = req.nextUrl.clone();
  url.pathname = "/signin";
  url.search = `?callbackUrl=${encodeURIComponent(req.nextUrl.pathname + req.nextUrl.search)}`;
  return withHsts(req, NextResponse.redirect(url));
}

export const config = {
  // Pages only: API routes answer 401 themselves; assets and icons need nothing.
  matcher: ["/((?!api/|_next/|icon.svg|favicon.ico).*)"],
};
