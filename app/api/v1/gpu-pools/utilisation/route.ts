// GPU pool utilisation (review readers): per pool-hour cost, requests, gpu seconds, utilisation and
// cost per request, newest first, and a summary per pool over the same range.
import { z } from "zod";
import { route } from "@/lib/auth/api";
import { badRequest, fieldErrors } from "@/lib/errors";
import { gpuUtilisation } from "@/lib/pricing/gpu-utilisation";

export const dynamic = "force-dynamic";

const instant = (name: string) =>
  z.iso.datetime({ offset: true, error: `${name} must be an ISO 8601 date-time with a time zone, e.g. 2026-11-01T00:00:00Z` }).transform((s) => new Date(s));

const query = z
  .object({
    pool: z.string().trim().min(1).max(200).optional(),
    from: instant("from").optional(),
    to: instant("to").optional(),
    limit: z.coerce.number().int().min(1, "limit must be 1 to 5000").max(5000, "limit must be 1 to 5000").default(500),
  })
  .refine((q) => !q.from || !q.to || q.from < q.to, { path: ["to"], message: "to must be after from" });

export const GET = route({ permission: "review.read" }, async ({ req }) => {
  const parsed = query.safeParse(Object.fromEntries(new URL(req.url).searchParams));
  if (!parsed.success) throw badRequest("The query is not valid.", fieldErrors(parsed.error.issues));
  const { pool, from, to, limit } = parsed.data;
  const result = await gpuUtilisation({ pool: pool ?? null, from: from ?? null, to: to ?? null, limit });
  return Response.json({ range: { pool: pool ?? null, from: from?.toISOString() ?? null, to: to?.toISOString() ?? null }, ...result });
});
