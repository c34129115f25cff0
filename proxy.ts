// Refuses URLs that are not percent-encoded UTF-8 (before Next.js fails to decode them with a plain-text
// 500), and sends signed-out visitors of a page to the sign-in page, remembering where they were going.
// Convenience only: every page and route checks the session and the role itself.
import { getToken } from "next-auth/jwt";
import { NextResponse, type NextRequest } from "next/server";
import { env } from "@/lib/env";
import { badUrlEncoding } from "@/lib/http/input";

/** Pages behind sign-in: not the API (it answers 401 itself), sign-in, assets, or the home page. */
const SIGNED_IN_PAGE = /^\/(?!api\/|signin|_next\/|icon\.svg|favicon\.ico).+/;

export async function proxy(req: NextRequest) {
  const bad = badUrlEncoding(req.url);
  if (bad) {
    if (req.nextUrl.pathname.startsWith("/api/")) {
      return NextResponse.json({ error: { code: "invalid_request", message: bad.message, errors: [{ path: bad.field, message: bad.message }] } }, { status: 400 });
    }
    // A page: the app's own "not found" page (no page has such a name).
    return NextResponse.rewrite(new URL("/_invalid-url", req.url));
  }
  if (!SIGNED_IN_PAGE.test(req.nextUrl.pathname)) return NextResponse.next();
  const token = await getToken({ req, secret: env().NEXTAUTH_SECRET });
  if (token) return NextResponse.next();
  const url = req.nextUrl.clone();
  url.pathname = "/signin";
  url.search = `?callbackUrl=${encodeURIComponent(req.nextUrl.pathname + req.nextUrl.search)}`;
  return NextResponse.redirect(url);
}

export const config = {
  // Everything but Next's own assets: the encoding check covers the API too.
  matcher: ["/((?!_next/|icon.svg|favicon.ico).*)"],
};
