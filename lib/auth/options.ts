// next-auth configuration: email + password for everyone, GitHub and any OIDC provider when their
// environment variables are set. Sessions are JWTs carrying only the user id: the role is read from
// the database on every request, so a role change or a disabled account takes effect at once.
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import GitHubProvider from "next-auth/providers/github";
import type { Provider } from "next-auth/providers/index";
import { z } from "zod";
import { db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { verifyPassword } from "@/lib/auth/password";
import { recordAudit } from "@/lib/audit/record-audit";

const credentials = z.object({ email: z.string().trim().toLowerCase().pipe(z.email()), password: z.string().min(1) });

function providers(): Provider[] {
  const e = env();
  const list: Provider[] = [
    CredentialsProvider({
      name: "Email and password",
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      async authorize(raw) {
        const parsed = credentials.safeParse(raw);
        if (!parsed.success) return null;
        const user = await db().user.findUnique({ where: { email: parsed.data.email } });
        // Hash even when the user is unknown, so response time does not reveal which emails exist.
        const ok = await verifyPassword(parsed.data.password, user?.passwordHash ?? DUMMY_HASH);
        if (!user || !ok || user.disabled) return null;
        return { id: user.id, email: user.email, name: user.name };
      },
    }),
  ];
  if (e.AUTH_GITHUB_ID && e.AUTH_GITHUB_SECRET) {
    list.push(GitHubProvider({ clientId: e.AUTH_GITHUB_ID, clientSecret: e.AUTH_GITHUB_SECRET }));
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

// A valid hash of a random password, verified against when the email is unknown.
const DUMMY_HASH =
  "scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA$Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmFyYmE";

/** Single sign-on: map the provider's verified email to a user, creating one only when allowed. */
async function ssoUserId(email: string | null | undefined, name: string | null | undefined): Promise<string | null> {
  if (!email) return null;
  const normalised = email.trim().toLowerCase();
  const existing = await db().user.findUnique({ where: { email: normalised } });
  if (existing) return existing.disabled ? null : existing.id;
  const role = env().AUTH_SSO_DEFAULT_ROLE;
  if (!role) return null;
  const created = await db().user.create({ data: { email: normalised, name: name ?? normalised, role } });
  await recordAudit(db(), { label: "sso" }, {
    action: "user.create",
    entityType: "user",
    entityId: created.id,
    after: { email: created.email, name: created.name, role: created.role, via: "sso" },
  });
  return created.id;
}

export function authOptions(): NextAuthOptions {
  return {
    secret: env().NEXTAUTH_SECRET,
    session: { strategy: "jwt", maxAge: 12 * 60 * 60 },
    pages: { signIn: "/signin", error: "/signin" },
    providers: providers(),
    callbacks: {
      async signIn({ user, account }) {
        if (!account || account.provider === "credentials") return true;
        const id = await ssoUserId(user.email, user.name);
        if (!id) return "/signin?error=AccessDenied";
        user.id = id;
        return true;
      },
      async jwt({ token, user, account }) {
        if (user && account) {
          token.uid = account.provider === "credentials" ? user.id : await ssoUserId(user.email, user.name);
        }
        return token;
      },
      async session({ session, token }) {
        return { ...session, uid: typeof token.uid === "string" ? token.uid : undefined };
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
