// The guard for pages: who is signed in, and may they see this page?
import { getServerSession } from "next-auth";
import { forbidden, redirect } from "next/navigation";
import { cache } from "react";
import { db } from "@/lib/db/client";
import { authOptions } from "@/lib/auth/options";
import { roleCan, type Permission } from "@/lib/auth/permissions";
import type { SessionUser } from "@/lib/auth/principal";

/** The signed-in user, read fresh from the database (once per request), or null. */
export const currentUser = cache(async (): Promise<SessionUser | null> => {
  const session = (await getServerSession(authOptions())) as { uid?: string } | null;
  if (!session?.uid) return null;
  const user = await db().user.findUnique({
    where: { id: session.uid },
    select: { id: true, email: true, name: true, role: true, disabled: true },
  });
  if (!user || user.disabled) return null;
  return { id: user.id, email: user.email, name: user.name, role: user.role };
});

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
