// Run incident detection now (admins): optional {from, to} (ISO times) to scan other hours than the last 48.
import { z } from "zod";
import { jsonBody, route } from "@/lib/auth/api";
import { badRequest, fieldErrors } from "@/lib/errors";
import { detectIncidents } from "@/lib/incidents/detect";

export const dynamic = "force-dynamic";

const body = z
  .object({
    from: z.iso.datetime({ offset: true, message: "from must be an ISO 8601 time" }).optional(),
    to: z.iso.datetime({ offset: true, message: "to must be an ISO 8601 time" }).optional(),
  })
  .strict()
  .refine((b) => !b.from || !b.to || Date.parse(b.from) < Date.parse(b.to), { path: ["to"], message: "to must be after from" })
  .refine((b) => !b.from || !b.to || Date.parse(b.to) - Date.parse(b.from) <= 93 * 86_400_000, { path: ["to"], message: "scan at most 93 days at once" });

export const POST = route({ permission: "settings.manage" }, async ({ req }) => {
  const parsed = body.safeParse(await jsonBody(req));
  if (!parsed.success) throw badRequest("Invalid detection request.", fieldErrors(parsed.error.issues));
  const b = parsed.data;
  return Response.json(await detectIncidents({ from: b.from ? new Date(b.from) : undefined, to: b.to ? new Date(b.to) : undefined }));
});
