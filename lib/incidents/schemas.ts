// Input schemas for cost incidents.
import { z } from "zod";
import { labelled } from "@/lib/http/validation";

/** Run detection over {from, to} (ISO times, at most 93 days), or the last 48 hours without them. */
export const detectIncidentsSchema = z
  .object({
    from: z.iso.datetime({ offset: true, message: "from must be an ISO 8601 time" }).optional(),
    to: z.iso.datetime({ offset: true, message: "to must be an ISO 8601 time" }).optional(),
  })
  .strict()
  .refine((b) => !b.from || !b.to || Date.parse(b.from) < Date.parse(b.to), { path: ["to"], message: "to must be after from" })
  .refine((b) => !b.from || !b.to || Date.parse(b.to) - Date.parse(b.from) <= 93 * 86_400_000, { path: ["to"], message: "scan at most 93 days at once" })
  .transform((b) => ({ from: b.from ? new Date(b.from) : undefined, to: b.to ? new Date(b.to) : undefined }));

/** GET /api/v1/incidents: ?status=open|resolved&endpoint= */
export const listIncidentsQuery = z.object({
  status: z.enum(["open", "resolved"], "status must be open or resolved").optional(),
  endpoint: z.string().min(1).optional(),
});

/** POST /api/v1/incidents/[id]/resolve: what caused the spike and what was done. */
export const resolveIncidentSchema = labelled(
  z.object({ note: z.string().trim().min(3, "write what caused the spike and what was done (at least 3 characters)").max(4000) }).strict(),
  { what: "resolution", labels: { note: "Resolution note" } },
);
