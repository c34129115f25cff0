// Sends signed-out visitors of a page to the sign-in page, remembering where they were going
// (convenience only: every page and route checks the session and the role itself), and adds
// Strict-Transport-Security to every answer when the app is served over https.
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
  // API routes answer 401 themselves; the sign-in page and health check stay public.
  if (path === "/" || path.startsWith("/api/") || path.startsWith("/signin") || path.startsWith("/_next/")) {
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
  // Everything but build assets and icons.
  matcher: ["/((?!_next/static|_next/image|icon.svg|favicon.ico).*)"],
};
