// Input schema of a what-if scenario (POST /api/v1/whatif): an endpoint's past traffic and up to five
// candidates that change its model, service tier, token mix or move it to a self-hosted GPU pool.
import { z } from "zod";
import { uuidParam } from "@/lib/http/params";
import { labelled } from "@/lib/http/validation";
import { Dec } from "@/lib/pricing/price-entry";

/** The longest window a scenario replays, in days. */
export const MAX_WINDOW_DAYS = 31;
export const MAX_CANDIDATES = 5;

const DAY_MS = 86_400_000;

/** A decimal given as a string or a number, kept as its exact text; `min`/`max` inclusive unless said. */
const decimal = (message: string, { min, max, minExclusive = false }: { min: string; max: string; minExclusive?: boolean }) =>
  z
    .union([z.string(), z.number()])
    .transform((v) => String(v).trim())
    .refine((v) => /^-?\d+(\.\d{1,12})?$/.test(v), message)
    .refine((v) => {
      if (!/^-?\d+(\.\d{1,12})?$/.test(v)) return true;
      const d = new Dec(v);
      return (minExclusive ? d.gt(min) : d.gte(min)) && d.lte(max);
    }, message)
    .transform((v) => new Dec(v).toFixed());

const positiveNumber = (message: string) =>
  z
    .number({ message })
    .refine((n) => Number.isFinite(n) && n > 0 && n <= 1e12, message);

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "enter a date such as 2026-11-16").refine((v) => {
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
}, "enter a real calendar date such as 2026-11-16");

const selfHostedSchema = z
  .object({
    hourlyUsd: decimal('enter the price of one GPU-hour in USD, such as "2.50" (more than 0)', { min: "0", max: "100000", minExclusive: true }),
    tokensPerSecondPerGpu: positiveNumber("enter the tokens one GPU processes per second (more than 0)").optional(),
    requestsPerSecond: positiveNumber("enter the requests one GPU serves per second (more than 0)").optional(),
    targetUtilisationPct: decimal("enter the share of each GPU-hour you expect to use, more than 0 and at most 100", { min: "0", max: "100", minExclusive: true }),
  })
  .strict()
  .superRefine((s, ctx) => {
    const given = Number(s.tokensPerSecondPerGpu !== undefined) + Number(s.requestsPerSecond !== undefined);
    if (given !== 1) {
      ctx.addIssue({ code: "custom", path: ["tokensPerSecondPerGpu"], message: "give the throughput as either tokensPerSecondPerGpu or requestsPerSecond (one of them)" });
    }
  });

const candidateSchema = z
  .object({
    name: z.string().trim().min(1).max(200, "keep it to 200 characters").optional(),
    provider: z.string().trim().min(1, "must not be empty").max(200).optional(),
    model: z.string().trim().min(1, "must not be empty").max(200).optional(),
    serviceTier: z.string().trim().regex(/^[a-z][a-z0-9_-]{0,39}$/, "enter a service tier such as batch, flex or priority").optional(),
    outputScalePct: decimal("enter the percentage of today's output tokens, from 0 to 1000 (80 = 20 % shorter answers)", { min: "0", max: "1000" }).optional(),
    outputCap: z.number({ message: "enter the most output tokens a call may produce" }).int("enter a whole number of tokens").min(0, "must be 0 or more").max(10_000_000).optional(),
    promptGrowthPct: decimal("enter how much prompts grow in percent, from -100 to 1000 (25 = a quarter longer)", { min: "-100", max: "1000" }).optional(),
    cacheHitRatePct: decimal("enter the share of prompt tokens read from the cache, from 0 to 100", { min: "0", max: "100" }).optional(),
    selfHosted: selfHostedSchema.optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    if ((c.provider === undefined) !== (c.model === undefined)) {
      ctx.addIssue({ code: "custom", path: [c.provider === undefined ? "provider" : "model"], message: "give the provider and the model together" });
    }
    if (c.selfHosted && (c.provider !== undefined || c.serviceTier !== undefined)) {
      ctx.addIssue({ code: "custom", path: ["selfHosted"], message: "self-hosting replaces the hosted model: leave provider, model and serviceTier out" });
    }
  });

/** POST /api/v1/whatif. */
export const whatifSchema = labelled(
  z
    .object({
      endpoint: z.string({ message: "enter the endpoint's slug" }).trim().min(1).max(200),
      cohort: z.string().trim().min(1).max(200).optional(),
      customerId: z.string().trim().min(1).max(200).optional(),
      from: day.optional(),
      to: day.optional(),
      growth: decimal("enter a growth multiple of today's traffic, more than 0 and at most 1000 (1.5 = half as much again)", { min: "0", max: "1000", minExclusive: true }).default("1"),
      candidates: z.array(candidateSchema).min(1, "give at least one candidate").max(MAX_CANDIDATES, `give at most ${MAX_CANDIDATES} candidates`),
    })
    .strict()
    .superRefine((s, ctx) => {
      if ((s.from === undefined) !== (s.to === undefined)) {
        ctx.addIssue({ code: "custom", path: [s.from === undefined ? "from" : "to"], message: "give from and to together, or neither for the last complete week" });
        return;
      }
      if (s.from !== undefined && s.to !== undefined) {
        const days = (Date.parse(`${s.to}T00:00:00Z`) - Date.parse(`${s.from}T00:00:00Z`)) / DAY_MS + 1;
        if (!(days >= 1)) ctx.addIssue({ code: "custom", path: ["to"], message: "must be on or after from" });
        else if (days > MAX_WINDOW_DAYS) ctx.addIssue({ code: "custom", path: ["to"], message: `the window may be at most ${MAX_WINDOW_DAYS} days` });
      }
    }),
  {
    what: "scenario",
    labels: {
      endpoint: "Endpoint",
      cohort: "Cohort",
      customerId: "Customer",
      from: "From",
      to: "To",
      growth: "Growth multiple",
      candidates: "Candidates",
      "candidates.name": "Name",
      "candidates.provider": "Provider",
      "candidates.model": "Model",
      "candidates.serviceTier": "Service tier",
      "candidates.outputScalePct": "Output scale (%)",
      "candidates.outputCap": "Output cap (tokens)",
      "candidates.promptGrowthPct": "Prompt growth (%)",
      "candidates.cacheHitRatePct": "Cache-hit rate (%)",
      "candidates.selfHosted": "Self-hosted",
      "candidates.selfHosted.hourlyUsd": "GPU $/hour",
      "candidates.selfHosted.tokensPerSecondPerGpu": "Tokens/second per GPU",
      "candidates.selfHosted.requestsPerSecond": "Requests/second per GPU",
      "candidates.selfHosted.targetUtilisationPct": "Target utilisation (%)",
    },
  },
);

export type Scenario = z.output<typeof whatifSchema>;
export type Candidate = Scenario["candidates"][number];

/** POST /api/v1/scenarios: a scenario saved under a name. */
export const saveScenarioSchema = labelled(
  z
    .object({
      name: z.string({ message: "name the scenario" }).trim().min(1).max(200, "keep it to 200 characters"),
      scenario: whatifSchema,
    })
    .strict(),
  { what: "saved scenario", labels: { name: "Name" } },
);

/** GET /api/v1/scenarios?endpoint=slug. */
export const listScenariosQuery = z.object({ endpoint: z.string().trim().min(1).max(200).optional() });

export const scenarioIdParams = { id: uuidParam("Scenario") };
