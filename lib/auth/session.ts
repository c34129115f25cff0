// The guard for pages: who is signed in, and may they see this page?
import { getServerSession } from "next-auth";
import { forbidden, redirect } from "next/navigation";
import { cache } from "react";
import { authOptions, sessionUser } from "@/lib/auth/options";
import { env } from "@/lib/env";
import { roleCan, type Permission } from "@/lib/auth/permissions";
import type { SessionUser } from "@/lib/auth/principal";

/** The signed-in user, read fresh from the database (once per request), or null (also for a revoked session). */
export const currentUser = cache(async (): Promise<SessionUser | null> => {
  return sessionUser((await getServerSession(authOptions())) as { uid?: string; sv?: number } | null);
});

/** The app's own address, against which a callbackUrl is judged (any origin works: only the path is kept). */
export function appBaseUrl(): string {
  return env().NEXTAUTH_URL ?? "http://localhost";
}

/**
 * Every page calls this first. Not signed in: off to the sign-in page (and back here afterwards).
 * Signed in without the permission: the 403 page.
 */
export async function requirePage(permission: Permission | null, path: string): Promise<SessionUser> {
  const user = await currentUser();
  if (!user) redirect(`/signin?callbackUrl=${encodeURIComponent(path)}`);
  if (permission && !roleCan(user.role, permission)) forbidden();
  return user;
}
