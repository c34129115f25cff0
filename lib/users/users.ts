// Users and roles: every change is audited, and the last active admin cannot be removed.
import { db } from "@/lib/db/client";
import { hashPassword } from "@/lib/auth/password";
import { recordAudit, type Actor } from "@/lib/audit/record-audit";
import { conflict, notFound } from "@/lib/errors";
import { ADMIN_ROLES } from "@/lib/auth/policies";
import { asRole } from "@/lib/auth/permissions";
import type { CreateUserInput, UpdateUserInput } from "@/lib/users/schemas";
import { withTransaction } from "@/lib/db/transaction";

const publicFields = { id: true, email: true, name: true, role: true, disabled: true, createdAt: true } as const;

export type PublicUser = { id: string; email: string; name: string; role: string; disabled: boolean; createdAt: Date };

export async function listUsers(): Promise<PublicUser[]> {
  return db().user.findMany({ select: publicFields, orderBy: [{ role: "asc" }, { email: "asc" }] });
}

export async function createUser(input: CreateUserInput, actor: Actor): Promise<PublicUser> {
  const passwordHash = input.password ? await hashPassword(input.password) : null;
  return withTransaction(async (tx) => {
    if (await tx.prisma.user.findUnique({ where: { email: input.email } })) {
      throw conflict(`A user with email ${input.email} already exists.`);
    }
    const user = await tx.prisma.user.create({
      data: { email: input.email, name: input.name, role: input.role, passwordHash },
      select: publicFields,
    });
    await recordAudit(tx, actor, {
      action: "user.create",
      entityType: "user",
      entityId: user.id,
      after: { email: user.email, name: user.name, role: user.role, password: passwordHash ? "set" : "none" },
    });
    return user;
  });
}

export async function updateUser(id: string, input: UpdateUserInput, actor: Actor): Promise<PublicUser> {
  const passwordHash = input.password ? await hashPassword(input.password) : undefined;
  return withTransaction(async (tx) => {
    // Two concurrent demotions of the last two admins must not both pass the check: lock the active
    // admins' rows first. The second transaction waits here and then re-reads the rows the first one
    // changed, so it sees one admin left. (On the embedded database there is one connection, so
    // transactions run one after the other anyway.)
    const activeAdmins =
      input.role !== undefined || input.disabled !== undefined
        ? (
            await tx.prisma.$queryRaw<{ id: string }[]>`SELECT id::text AS id FROM users WHERE role::text = ANY(${[...ADMIN_ROLES]}::text[]) AND NOT disabled ORDER BY id FOR UPDATE`
          ).map((r) => r.id)
        : [];
    const before = await tx.prisma.user.findUnique({ where: { id }, select: publicFields });
    if (!before) throw notFound("User");
    const losesAdmin =
      ADMIN_ROLES.includes(asRole(before.role)) && !before.disabled && ((input.role !== undefined && !ADMIN_ROLES.includes(input.role)) || input.disabled === true);
    if (losesAdmin && activeAdmins.filter((a) => a !== id).length === 0) {
      throw conflict("This is the last active admin: make another user admin first.");
    }
    // A new password, role or disabled state ends the user's sessions (see sessionUser in lib/auth/options.ts).
    const revoke =
      !!passwordHash || (input.role !== undefined && input.role !== before.role) || (input.disabled !== undefined && input.disabled !== before.disabled);
    const after = await tx.prisma.user.update({
      where: { id },
      data: {
        name: input.name,
        role: input.role,
        disabled: input.disabled,
        passwordHash,
        updatedAt: new Date(),
        ...(revoke ? { sessionVersion: { increment: 1 } } : {}),
      },
      select: publicFields,
    });
    const changed = (k: "name" | "role" | "disabled") => before[k] !== after[k];
    const keys = (["name", "role", "disabled"] as const).filter(changed);
    await recordAudit(tx, actor, {
      action: "user.update",
      entityType: "user",
      entityId: id,
      before: Object.fromEntries(keys.map((k) => [k, before[k]])),
      after: { ...Object.fromEntries(keys.map((k) => [k, after[k]])), ...(passwordHash ? { password: "changed" } : {}) },
    });
    return after;
  });
}
