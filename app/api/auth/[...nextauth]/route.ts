// next-auth's own endpoints (sign-in, sign-out, session, CSRF token, OAuth callbacks). A password
// sign-in for a locked account or client address is refused here with 429 and Retry-After, before any
// password is hashed.
import NextAuth from "next-auth";
import { authOptions } from "@/lib/auth/options";
import { clientAddress } from "@/lib/auth/request-origin";
import { signInLock } from "@/lib/auth/sign-in-throttle";
import { pool } from "@/lib/db/client";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ nextauth: string[] }> };

async function throttled(req: Request): Promise<Response | null> {
  if (req.method !== "POST" || !new URL(req.url).pathname.endsWith("/callback/credentials")) return null;
  let email = "";
  try {
    const form = await req.clone().formData();
    email = String(form.get("email") ?? "");
  } catch {
    return null; // next-auth answers a malformed body itself
  }
  const lock = await signInLock(pool(), email, clientAddress(req.headers));
  if (!lock) return null;
  const minutes = Math.ceil(lock.retryAfter / 60);
  const message =
    lock.scope === "account"
      ? `Too many failed sign-ins for this account; try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`
      : `Too many failed sign-ins from this address; try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`;
  return Response.json(
    // `url` lets next-auth's client (signIn with redirect: false) report the error as "RateLimited".
    { error: { code: "rate_limited", message, retryAfter: lock.retryAfter, scope: lock.scope }, url: new URL("/signin?error=RateLimited", req.url).toString() },
    { status: 429, headers: { "Retry-After": String(lock.retryAfter) } },
  );
}

async function handler(req: Request, ctx: Ctx): Promise<Response> {
  const refused = await throttled(req);
  if (refused) return refused;
  return NextAuth(req as never, ctx as never, authOptions()) as Promise<Response>;
}

export { handler as GET, handler as POST };
