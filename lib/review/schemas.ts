// Query schemas of the weekly review's API: the weekly figures, coverage and "why it moved".
import { z } from "zod";
import { weekParam } from "@/lib/http/params";

/** ?week=YYYY-Www (default: the last complete week) &groupBy=endpoint,cohort */
export const weeklyQuery = z.object({
  week: weekParam.optional(),
  groupBy: z
    .string()
    .default("endpoint")
    .transform((v) => v.split(",").map((s) => s.trim()).filter(Boolean))
    .pipe(z.array(z.enum(["endpoint", "cohort"], { message: "groupBy takes endpoint, cohort or both (endpoint,cohort)" })).max(2)),
});

/** ?week=YYYY-Www (default: the last complete week) */
export const coverageQuery = z.object({ week: weekParam.optional() });

/** ?endpoint=chat.answer (or "(unattributed)") &week=YYYY-Www */
export const whyItMovedQuery = z.object({
  week: weekParam.optional(),
  endpoint: z.string({ error: "endpoint is required: an endpoint slug, or (unattributed)" }).min(1, "endpoint is required: an endpoint slug, or (unattributed)"),
});
