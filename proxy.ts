// Sends signed-out visitors of a page to the sign-in page, remembering where they were going.
// Convenience only: every page and route checks the session and the role itself.
import { getToken } from "next-auth/jwt";
import { NextResponse, type NextRequest } from "next/server";
import { env } from "@/lib/env";

export async function proxy(req: NextRequest) {
  const token = await getToken({ req, secret: env().NEXTAUTH_SECRET });
  if (token) return NextResponse.next();
  const url = req.nextUrl.clone();
  url.pathname = "/signin";
  url.search = `?callbackUrl=${encodeURIComponent(req.nextUrl.pathname + req.nextUrl.search)}`;
  return NextResponse.redirect(url);
}

export const config = {
  // Pages only: API routes answer 401 themselves; sign-in, assets and health stay public.
  matcher: ["/((?!api/|signin|_next/|icon.svg|favicon.ico).+)"],
};
