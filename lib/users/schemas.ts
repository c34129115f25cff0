// Input schemas for users, shared by the API, the Settings forms and the CLI.
import { z } from "zod";
import { MIN_PASSWORD_LENGTH } from "@/lib/auth/password";
import { ROLES } from "@/lib/auth/permissions";
import { uuidParam } from "@/lib/http/params";
import { labelled } from "@/lib/http/validation";

export const roleSchema = z.enum(ROLES, { message: `role must be one of ${ROLES.join(", ")}` });

/** The labels of Settings → Users (the add form, and each user's role menu). */
const USER_LABELS = { name: "Name", email: "Email", password: "Password", role: "Role" };

export const createUserSchema = labelled(
  z.object({
    email: z.string().trim().toLowerCase().pipe(z.email("email must be a valid email address")),
    name: z.string().trim().min(1, "name is required").max(200),
    role: roleSchema,
    password: z
      .string()
      .min(MIN_PASSWORD_LENGTH, `password must be at least ${MIN_PASSWORD_LENGTH} characters`)
      .max(200)
      .optional(),
  }),
  { what: "user", labels: USER_LABELS },
);

export const updateUserSchema = labelled(
  z
    .object({
      name: z.string().trim().min(1, "name must not be empty").max(200).optional(),
      role: roleSchema.optional(),
      disabled: z.boolean().optional(),
      password: z.string().min(MIN_PASSWORD_LENGTH, `password must be at least ${MIN_PASSWORD_LENGTH} characters`).max(200).optional(),
    })
    .refine((v) => Object.keys(v).length > 0, { message: "nothing to change: send name, role, disabled or password" }),
  { what: "user", labels: USER_LABELS },
);

export const userIdParams = { id: uuidParam("User") };

export type CreateUserInput = z.infer<typeof createUserSchema>;
export type UpdateUserInput = z.infer<typeof updateUserSchema>;
