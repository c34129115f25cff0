// Input schemas of the targets API and the endpoint page's targets form.
import { Decimal } from "decimal.js";
import { z } from "zod";
import { labelled } from "@/lib/http/validation";

const money = z
  .union([z.string(), z.number()])
  .transform((v) => String(v).trim())
  .refine((v) => /^\d+(\.\d{1,12})?$/.test(v), 'must be a decimal amount in USD such as "0.012" (at most 12 decimal places)')
  .nullable()
  .optional();

const targetSchema = z
  .object({
    cohort: z.string().trim().min(1).max(200).nullable().optional(),
    targetCost: money,
    ceilingCost: money,
    revenuePerRequest: money,
    latencyBudgetMs: z.number().int("must be whole milliseconds").positive("must be more than 0").max(86_400_000).nullable().optional(),
  })
  .strict()
  .superRefine((t, ctx) => {
    if (t.targetCost && t.ceilingCost && new Decimal(t.targetCost).gt(t.ceilingCost)) {
      ctx.addIssue({ code: "custom", path: ["targetCost"], message: "the target must not be above the ceiling" });
    }
  });

/** PUT /api/v1/targets: one endpoint's targets (all of them: the list replaces the stored one) and primary metric. */
export const putTargetsSchema = labelled(
  z
    .object({
      endpoint: z.string().min(1, "endpoint is required (the endpoint's slug)"),
      primaryMetric: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, "must be a metric name such as task_success").nullable().optional(),
      targets: z.array(targetSchema).max(200),
    })
    .strict()
    .superRefine((b, ctx) => {
      const seen = new Set<string>();
      b.targets.forEach((t, i) => {
        const k = t.cohort ?? "";
        if (seen.has(k)) ctx.addIssue({ code: "custom", path: ["targets", i, "cohort"], message: `cohort ${t.cohort ?? "(all cohorts)"} is listed twice` });
        seen.add(k);
      });
    }),
  {
    what: "targets",
    plural: true,
    labels: {
      primaryMetric: "Primary quality metric",
      "targets.cohort": "Cohort",
      "targets.targetCost": "Target $/request",
      "targets.ceilingCost": "Ceiling $/request",
      "targets.revenuePerRequest": "Revenue $/request",
      "targets.latencyBudgetMs": "p95 latency budget (ms)",
    },
  },
);
