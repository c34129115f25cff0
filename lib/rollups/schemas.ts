// Query schemas over the rollups: cost per request over a range.
import { z } from "zod";
import { parseInstant } from "@/lib/http/input";
import { GROUP_DIMENSIONS } from "@/lib/rollups/cost-per-request";

// Strict: 2026-02-30 and "x" are refused (Date.parse would roll the first over into March).
const instant = z.string({ error: "is required: a date (2026-11-01) or an ISO timestamp" }).transform((v, ctx) => {
  const d = parseInstant(v);
  if (d) return d;
  ctx.addIssue({ code: "custom", message: "must be a real date (2026-11-01) or an ISO timestamp" });
  return z.NEVER;
});

/** ?from=2026-11-01&to=2026-11-08&groupBy=endpoint,cohort; `to` is exclusive, at most 400 days after `from`. */
export const costPerRequestQuery = z
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
