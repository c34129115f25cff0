// next-auth configuration: email + password for everyone, GitHub and any OIDC provider when their
// environment variables are set. Sessions are JWTs carrying the user id and the user's session version:
// the role and the version are read from the database on every request, so a role change, a disabled
// account, a password change or a sign-out takes effect at once.
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import GitHubProvider from "next-auth/providers/github";
import type { Provider } from "next-auth/providers/index";
import { z } from "zod";
import { db, pool } from "@/lib/db/client";
import { env } from "@/lib/env";
import { hashPassword, needsRehash, verifyPassword, withHashSlot } from "@/lib/auth/password";
import { recordAudit } from "@/lib/audit/record-audit";
import { clientAddress } from "@/lib/auth/request-origin";
import { clearAccountFailures, recordSignInFailure, signInLock } from "@/lib/auth/sign-in-throttle";
import { safeCallbackPath } from "@/lib/auth/callback-url";
import type { SessionUser } from "@/lib/auth/principal";
import { asRole } from "@/lib/auth/permissions";
import { githubVerifiedPrimaryEmail, verifiedSsoEmail } from "@/lib/auth/sso-email";

const credentials = z.object({ email: z.string().trim().toLowerCase().pipe(z.email()), password: z.string().min(1) });

/** Session lifetime: a token older than this must sign in again. */
export const SESSION_MAX_AGE_SECONDS = 12 * 60 * 60;

type SignedIn = { id: string; email: string; name: string; sessionVersion: number };

async function passwordSignIn(email: string, password: string, address: string): Promise<SignedIn | null> {
  const sql = pool();
  // Checked again here, after waiting for a hashing slot: parallel attempts queue up and see the lock.
  if (await signInLock(sql, email, address)) return null;
  const user = await db().user.findUnique({ where: { email } });
  // Hash even when the user is unknown, so response time does not reveal which emails exist.
  const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
  if (!user || !ok || user.disabled) {
    const locks = await recordSignInFailure(sql, email, address);
    const reason = !user ? "unknown_email" : !ok ? "wrong_password" : "disabled";
    await recordAudit(sql, { id: user?.id ?? null, label: email.slice(0, 320) }, {
      action: "auth.sign_in_failed",
      entityType: "user",
      entityId: user?.id ?? null,
      after: { email: email.slice(0, 320), address, reason },
    });
    for (const lock of locks) {
      await recordAudit(sql, { label: "sign-in throttle" }, {
        action: "auth.sign_in_locked",
        entityType: "user",
        entityId: lock.scope === "account" ? (user?.id ?? null) : null,
        after: { scope: lock.scope, email: email.slice(0, 320), address, until: lock.until.toISOString() },
      });
    }
    return null;
  }
  await clearAccountFailures(sql, email);
  let rehashed = false;
  if (user.passwordHash && needsRehash(user.passwordHash)) {
    // Transparent upgrade to today's scrypt parameters, only if the hash was not changed meanwhile.
    const fresh = await hashPassword(password);
    const r = await db().user.updateMany({ where: { id: user.id, passwordHash: user.passwordHash }, data: { passwordHash: fresh } });
    rehashed = r.count === 1;
  }
  await recordAudit(sql, { id: user.id, label: user.email }, {
    action: "auth.sign_in",
    entityType: "user",
    entityId: user.id,
    after: { method: "password", address, ...(rehashed ? { passwordRehashed: true } : {}) },
  });
  return { id: user.id, email: user.email, name: user.name, sessionVersion: user.sessionVersion };
}

function providers(): Provider[] {
  const e = env();
  const list: Provider[] = [
    CredentialsProvider({
      name: "Email and password",
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      async authorize(raw, req) {
        const parsed = credentials.safeParse(raw);
        if (!parsed.success) return null;
        const address = clientAddress(req?.headers as Record<string, string> | undefined);
        const user = await withHashSlot(() => passwordSignIn(parsed.data.email, parsed.data.password, address));
        return user ? { id: user.id, email: user.email, name: user.name, sv: user.sessionVersion } : null;
      },
    }),
  ];
  if (e.AUTH_GITHUB_ID && e.AUTH_GITHUB_SECRET) {
    list.push(
      GitHubProvider({
        clientId: e.AUTH_GITHUB_ID,
        clientSecret: e.AUTH_GITHUB_SECRET,
        authorization: { params: { scope: "read:user user:email" } },
        // Only GitHub's verified primary email identifies the user (not the public profile email).
        userinfo: {
          url: "https://api.github.com/user",
          async request({ tokens }) {
            const headers = { Authorization: `Bearer ${tokens.access_token}`, "User-Agent": "cost-review" };
            const profile = (await (await fetch("https://api.github.com/user", { headers })).json()) as Record<string, unknown>;
            const res = await fetch("https://api.github.com/user/emails", { headers });
            const email = githubVerifiedPrimaryEmail(res.ok ? await res.json() : null);
            return { ...profile, email: email ?? undefined, email_verified: email !== null };
          },
        },
      }),
    );
  }
  if (e.AUTH_OIDC_ISSUER && e.AUTH_OIDC_CLIENT_ID && e.AUTH_OIDC_CLIENT_SECRET) {
    list.push({
      id: "oidc",
      name: e.AUTH_OIDC_NAME,
      type: "oauth",
      wellKnown: `${e.AUTH_OIDC_ISSUER.replace(/\/$/, "")}/.well-known/openid-configuration`,
      clientId: e.AUTH_OIDC_CLIENT_ID,
      clientSecret: e.AUTH_OIDC_CLIENT_SECRET,
      authorization: { params: { scope: "openid email profile" } },
      idToken: true,
      checks: ["pkce", "state"],
      profile: (p: { sub: string; email?: string; name?: string }) => ({ id: p.sub, email: p.email, name: p.name ?? p.email }),
    });
  }
  return list;
}

// A well-formed hash (today's parameters) of nothing in particular, verified against when the email is unknown.
const DUMMY_HASH = "scrypt$131072$8$1$AAAAAAAAAAAAAAAAAAAAAA$Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmFyYmE";

/** Single sign-on: map the provider's verified email to a user, creating one only when allowed. */
async function ssoUser(email: string | null, name: string | null | undefined): Promise<{ id: string; sessionVersion: number } | null> {
  if (!email) return null;
  const normalised = email.trim().toLowerCase();
  const existing = await db().user.findUnique({ where: { email: normalised } });
  if (existing) return existing.disabled ? null : existing;
  const role = env().AUTH_SSO_DEFAULT_ROLE;
  if (!role) return null;
  const created = await db().user.create({ data: { email: normalised, name: name ?? normalised, role } });
  await recordAudit(pool(), { label: "sso" }, {
    action: "user.create",
    entityType: "user",
    entityId: created.id,
    after: { email: created.email, name: created.name, role: created.role, via: "sso" },
  });
  return created;
}

export function authOptions(): NextAuthOptions {
  return {
    secret: env().NEXTAUTH_SECRET,
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
    pages: { signIn: "/signin", error: "/signin" },
    providers: providers(),
    callbacks: {
      async signIn({ user, account, profile }) {
        if (!account || account.provider === "credentials") return true;
        const email = verifiedSsoEmail(profile);
        if (!email) return "/signin?error=EmailNotVerified";
        const found = await ssoUser(email, user.name);
        if (!found) return "/signin?error=AccessDenied";
        user.id = found.id;
        await recordAudit(pool(), { id: found.id, label: email }, {
          action: "auth.sign_in",
          entityType: "user",
          entityId: found.id,
          after: { method: account.provider },
        });
        return true;
      },
      async jwt({ token, user, account, profile }) {
        if (user && account) {
          if (account.provider === "credentials") {
            token.uid = user.id;
            token.sv = (user as { sv?: number }).sv;
          } else {
            const found = await ssoUser(verifiedSsoEmail(profile), user.name);
            token.uid = found?.id;
            token.sv = found?.sessionVersion;
          }
        }
        return token;
      },
      async session({ session, token }) {
        return {
          ...session,
          uid: typeof token.uid === "string" ? token.uid : undefined,
          sv: typeof token.sv === "number" ? token.sv : undefined,
        };
      },
      // Every redirect next-auth makes (after sign-in, sign-out, single sign-on) stays on this site.
      async redirect({ url, baseUrl }) {
        const path = safeCallbackPath(url, baseUrl);
        return path ? new URL(path, baseUrl).toString() : baseUrl;
      },
    },
    events: {
      // Signing out ends every session of this user: the session version moves on.
      async signOut({ token }) {
        const uid = typeof token?.uid === "string" ? token.uid : null;
        if (!uid || typeof token.sv !== "number") return;
        const r = await db().user.updateMany({ where: { id: uid, sessionVersion: token.sv }, data: { sessionVersion: { increment: 1 } } });
        if (r.count === 0) return; // already revoked
        const user = await db().user.findUnique({ where: { id: uid }, select: { email: true } });
        await recordAudit(pool(), { id: uid, label: user?.email ?? uid }, { action: "auth.sign_out", entityType: "user", entityId: uid });
      },
    },
  };
}

/** The single-sign-on buttons to show on the sign-in page. */
export function ssoProviders(): { id: string; name: string }[] {
  return providers()
    .filter((p) => p.id !== "credentials")
    .map((p) => ({ id: p.id, name: p.name }));
}

/** The user a session token stands for, if the token is still current: same session version, not disabled. */
export async function sessionUser(session: { uid?: unknown; sv?: unknown } | null): Promise<SessionUser | null> {
  if (!session || typeof session.uid !== "string" || typeof session.sv !== "number") return null;
  const user = await db().user.findUnique({
    where: { id: session.uid },
    select: { id: true, email: true, name: true, role: true, disabled: true, sessionVersion: true },
  });
  if (!user || user.disabled || user.sessionVersion !== session.sv) return null;
  return { id: user.id, email: user.email, name: user.name, role: asRole(user.role) };
}
