// Users and roles: every change is audited, and the last active admin cannot be removed.
import { db } from "@/lib/db/client";
import { hashPassword } from "@/lib/auth/password";
import { recordAudit, type Actor } from "@/lib/audit/record-audit";
import { conflict, notFound } from "@/lib/errors";
import type { CreateUserInput, UpdateUserInput } from "@/lib/users/schemas";

const publicFields = { id: true, email: true, name: true, role: true, disabled: true, createdAt: true } as const;

export type PublicUser = { id: string; email: string; name: string; role: string; disabled: boolean; createdAt: Date };

export async function listUsers(): Promise<PublicUser[]> {
  return db().user.findMany({ select: publicFields, orderBy: [{ role: "asc" }, { email: "asc" }] });
}

export async function createUser(input: CreateUserInput, actor: Actor): Promise<PublicUser> {
  const passwordHash = input.password ? await hashPassword(input.password) : null;
  return db().$transaction(async (tx) => {
    if (await tx.user.findUnique({ where: { email: input.email } })) {
      throw conflict(`A user with email ${input.email} already exists.`);
    }
    const user = await tx.user.create({
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
  return db().$transaction(async (tx) => {
    const before = await tx.user.findUnique({ where: { id }, select: publicFields });
    if (!before) throw notFound("User");
    const losesAdmin =
      before.role === "admin" && !before.disabled && ((input.role && input.role !== "admin") || input.disabled === true);
    if (losesAdmin) {
      const admins = await tx.user.count({ where: { role: "admin", disabled: false } });
      if (admins <= 1) throw conflict("This is the last active admin: make another user admin first.");
    }
    // A new password, role or disabled state ends the user's sessions (see sessionUser in lib/auth/options.ts).
    const revoke =
      !!passwordHash || (input.role !== undefined && input.role !== before.role) || (input.disabled !== undefined && input.disabled !== before.disabled);
    const after = await tx.user.update({
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
