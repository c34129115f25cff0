// Input schemas of the budgets API.
import { z } from "zod";
import { monthParam, uuidField, uuidParam } from "@/lib/http/params";
import { labelled } from "@/lib/http/validation";
import { money } from "@/lib/finance/schemas";
import { Dec } from "@/lib/pricing/price-entry";

export const BUDGET_SCOPES = ["organisation", "team", "feature", "customer", "plan"] as const;
export type BudgetScope = (typeof BUDGET_SCOPES)[number];

const scopeValue = z.string().trim().max(200, "must be at most 200 characters");

export const budgetCreateSchema = labelled(
  z
    .object({
      scope: z.enum(BUDGET_SCOPES, { message: `must be one of ${BUDGET_SCOPES.join(", ")}` }),
      /** The team or feature slug, the customer id or the plan (cohort); empty for the organisation. */
      scopeValue: scopeValue.optional().default(""),
      amountUsd: money,
      ownerId: uuidField("must be a user id").nullable().optional(),
    })
    .superRefine((b, ctx) => {
      if (b.scope === "organisation" && b.scopeValue !== "") ctx.addIssue({ code: "custom", path: ["scopeValue"], message: "must be empty for the organisation's budget" });
      if (b.scope !== "organisation" && b.scopeValue === "") ctx.addIssue({ code: "custom", path: ["scopeValue"], message: `must name the ${b.scope}` });
      if (!new Dec(b.amountUsd).gt(0)) ctx.addIssue({ code: "custom", path: ["amountUsd"], message: "must be above 0" });
    }),
  { what: "budget", labels: { scope: "Budget for", scopeValue: "Which one", amountUsd: "Monthly amount (USD)", ownerId: "Owner" } },
);
export type BudgetCreate = z.output<typeof budgetCreateSchema>;

export const budgetPatchSchema = labelled(
  z.strictObject({
    amountUsd: money.refine((v) => new Dec(v).gt(0), "must be above 0").optional(),
    ownerId: uuidField("must be a user id").nullable().optional(),
  }),
  { what: "budget", labels: { amountUsd: "Monthly amount (USD)", ownerId: "Owner" } },
);
export type BudgetPatch = z.output<typeof budgetPatchSchema>;

export const budgetIdParams = { id: uuidParam("Budget") };

/** ?month=YYYY-MM (default: the current month in the organisation's time zone) */
export const budgetMonthQuery = z.object({ month: monthParam.optional() });
