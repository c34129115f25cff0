// GET cost per request over a range: ?from=2026-11-01&to=2026-11-08&groupBy=endpoint,cohort (any of
// endpoint, feature, team, cohort, model, provider). `to` is exclusive; dates are UTC unless they carry a zone.
import { z } from "zod";
import { route } from "@/lib/auth/api";
import { pool } from "@/lib/db/client";
import { badRequest, fieldErrors } from "@/lib/errors";
import { parseInstant } from "@/lib/http/input";
import { costPerRequest, GROUP_DIMENSIONS } from "@/lib/rollups/cost-per-request";

export const dynamic = "force-dynamic";

// Strict: 2026-02-30 and "x" are refused (Date.parse would roll the first over into March).
const instant = z.string({ error: "is required: a date (2026-11-01) or an ISO timestamp" }).transform((v, ctx) => {
  const d = parseInstant(v);
  if (d) return d;
  ctx.addIssue({ code: "custom", message: "must be a real date (2026-11-01) or an ISO timestamp" });
  return z.NEVER;
});

const query = z
  .object({
    from: instant,
    to: instant,
    groupBy: z
      .string()
      .default("")
      .transform((v) => [...new Set(v.split(",").map((s) => s.trim()).filter(Boolean))])
      .pipe(z.array(z.enum(GROUP_DIMENSIONS, { message: `groupBy takes any of ${GROUP_DIMENSIONS.join(", ")}` }))),
  })
  .refine((q) => q.to > q.from, { message: "to must be after from", path: ["to"] })
  .refine((q) => q.to.getTime() - q.from.getTime() <= 400 * 86_400_000, { message: "the range may span at most 400 days", path: ["to"] });

export const GET = route({ permission: "review.read" }, async ({ req }) => {
  const parsed = query.safeParse(Object.fromEntries(new URL(req.url).searchParams));
  if (!parsed.success) throw badRequest("The query is not valid.", fieldErrors(parsed.error.issues));
  const { from, to, groupBy } = parsed.data;
  const result = await costPerRequest(pool(), from, to, groupBy);
  return Response.json({ from: from.toISOString(), to: to.toISOString(), groupBy, ...result });
});
