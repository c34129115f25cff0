// Monthly budgets with their month-end forecast (lib/budgets/forecast.ts) and the alerts a predicted breach
// opens for the budget's owner (My work). Who may change which budget: lib/auth/policies.ts.
import Decimal from "decimal.js";
import type { Db } from "@/lib/db/client";
import { recordAudit } from "@/lib/audit/record-audit";
import { actorOf, type Principal } from "@/lib/auth/principal";
import { maySeeBudget, mayManageBudget, userIdOf, WHO_MAY_MANAGE_BUDGET } from "@/lib/auth/policies";
import { withTransaction } from "@/lib/db/transaction";
import { badRequest, conflict, forbidden, notFound } from "@/lib/errors";
import { addMonths, currentMonth, parseMonth, type Month } from "@/lib/finance/months";
import { addDays, localDate } from "@/lib/rollups/weeks";
import { getSetting } from "@/lib/settings/settings";
import { notifyBudgetBreach } from "@/lib/notify/events";
import { forecastMonth, type DayFigures, type Forecast } from "@/lib/budgets/forecast";
import type { BudgetCreate, BudgetPatch, BudgetScope } from "@/lib/budgets/schemas";

export type BudgetRow = { id: string; scope: BudgetScope; scopeValue: string; amountUsd: string; ownerId: string | null; ownerEmail: string | null; featureOwnerId: string | null };

export type BudgetView = BudgetRow & {
  label: string;
  month: string;
  forecast: Forecast;
  /** forecast − budget (positive: the budget will be missed by this much). */
  overBy: string;
  breach: boolean;
  /** The forecast's range lies wholly above the budget. */
  breachCertain: boolean;
  alert: { openedAt: string; status: "open" | "acknowledged"; forecastUsd: string } | null;
  mayEdit: boolean;
};

const LABEL: Record<BudgetScope, string> = { organisation: "Organisation", team: "Team", feature: "Feature", customer: "Customer", plan: "Plan" };
export const budgetLabel = (b: Pick<BudgetRow, "scope" | "scopeValue">) => (b.scope === "organisation" ? "The organisation" : `${LABEL[b.scope]} ${b.scopeValue}`);

const SELECT = `SELECT b.id, b.scope, b.scope_value AS "scopeValue", b.amount_usd::text AS "amountUsd", b.owner_id AS "ownerId", u.email AS "ownerEmail",
    f.owner_id AS "featureOwnerId"
  FROM budgets b LEFT JOIN users u ON u.id = b.owner_id LEFT JOIN features f ON b.scope = 'feature' AND f.slug = b.scope_value`;

/** The days (per cohort) a budget's forecast reads: daily_costs, or customer_daily for a customer. */
async function series(db: Db, b: Pick<BudgetRow, "scope" | "scopeValue">, from: string, to: string): Promise<DayFigures[]> {
  const filter = { organisation: "true", team: "team = $3", feature: "feature = $3", plan: "cohort = $3", customer: "customer_id = $3" }[b.scope];
  const table = b.scope === "customer" ? "customer_daily" : "daily_costs";
  const params: unknown[] = [from, to];
  if (b.scope !== "organisation") params.push(b.scopeValue);
  const { rows } = await db.query<{ day: string; cohort: string | null; requests: number; cost: string }>(
    `SELECT day::text AS day, cohort, sum(requests)::int AS requests, (sum(direct_cost) + sum(gpu_cost) + sum(overhead_cost))::text AS cost
     FROM ${table} WHERE day >= $1::date AND day < $2::date AND ${filter} GROUP BY day, cohort`,
    params,
  );
  return rows;
}

/** The budget's forecast for `month` as of `today` (the first day not yet complete, in the org time zone). */
export async function forecastFor(db: Db, b: Pick<BudgetRow, "scope" | "scopeValue">, month: Month, today: string): Promise<Forecast> {
  const previous = parseMonth(addMonths(month.label, -1))!;
  const asOf = today < month.start ? month.start : today > month.end ? month.end : today;
  const from = [addDays(asOf, -56), previous.start].sort()[0]!;
  const days = await series(db, b, from, month.end);
  const prev = new Map<string, { cohort: string | null; requests: number; cost: Decimal }>();
  for (const d of days) {
    if (d.day < previous.start || d.day >= previous.end) continue;
    const k = d.cohort ?? "\u0000";
    const t = prev.get(k) ?? { cohort: d.cohort, requests: 0, cost: new Decimal(0) };
    t.requests += d.requests;
    t.cost = t.cost.plus(d.cost);
    prev.set(k, t);
  }
  return forecastMonth({ month, asOf, days, previous: [...prev.values()].map((p) => ({ cohort: p.cohort, requests: p.requests, cost: p.cost.toFixed() })) });
}

async function view(db: Db, b: BudgetRow, month: Month, today: string, principal: Principal | null): Promise<BudgetView> {
  const [forecast, alert] = await Promise.all([
    forecastFor(db, b, month, today),
    db.query<{ opened_at: Date; status: "open" | "acknowledged"; forecast_usd: string }>(
      "SELECT opened_at, status, forecast_usd::text FROM budget_alerts WHERE budget_id = $1 AND month = $2::date",
      [b.id, month.start],
    ),
  ]);
  const overBy = new Decimal(forecast.forecast.cost).minus(b.amountUsd);
  const a = alert.rows[0];
  return {
    ...b,
    amountUsd: new Decimal(b.amountUsd).toFixed(),
    label: budgetLabel(b),
    month: month.label,
    forecast,
    overBy: overBy.toFixed(),
    breach: overBy.gt(0),
    breachCertain: new Decimal(forecast.forecast.low).gt(b.amountUsd),
    alert: a ? { openedAt: a.opened_at.toISOString(), status: a.status, forecastUsd: new Decimal(a.forecast_usd).toFixed() } : null,
    mayEdit: principal ? mayManageBudget(principal, b) : false,
  };
}

async function monthAndToday(db: Db, month: Month | undefined): Promise<{ month: Month; today: string }> {
  const tz = await getSetting(db, "timezone");
  const now = new Date();
  return { month: month ?? parseMonth(currentMonth(now, tz))!, today: localDate(now, tz) };
}

/** Every budget the principal may see, with its forecast for the month (default: the current one), breaches first. */
export async function listBudgets(db: Db, principal: Principal, month?: Month): Promise<{ month: string; budgets: BudgetView[] }> {
  const m = await monthAndToday(db, month);
  const { rows } = await db.query<BudgetRow>(`${SELECT} ORDER BY b.scope, b.scope_value`);
  const views = await Promise.all(rows.filter((b) => maySeeBudget(principal, b)).map((b) => view(db, b, m.month, m.today, principal)));
  views.sort((a, b) => Number(b.breach) - Number(a.breach) || new Decimal(b.overBy).cmp(a.overBy));
  return { month: m.month.label, budgets: views };
}

export async function getBudget(db: Db, id: string, principal: Principal, month?: Month): Promise<BudgetView> {
  const { rows } = await db.query<BudgetRow>(`${SELECT} WHERE b.id = $1`, [id]);
  const b = rows[0];
  if (!b || !maySeeBudget(principal, b)) throw notFound("Budget");
  const m = await monthAndToday(db, month);
  return view(db, b, m.month, m.today, principal);
}

async function checkScope(db: Db, scope: BudgetScope, value: string): Promise<{ featureOwnerId: string | null }> {
  const lookup = {
    team: "SELECT NULL::uuid AS owner FROM teams WHERE slug = $1",
    feature: "SELECT owner_id AS owner FROM features WHERE slug = $1",
    customer: "SELECT NULL::uuid AS owner FROM customers WHERE id = $1",
  } as Partial<Record<BudgetScope, string>>;
  const sql = lookup[scope];
  if (!sql) return { featureOwnerId: null };
  const { rows } = await db.query<{ owner: string | null }>(sql, [value]);
  if (!rows[0]) throw badRequest(`No ${scope} is called "${value}".`, [{ path: "scopeValue", message: `no ${scope} "${value}"` }]);
  return { featureOwnerId: rows[0].owner };
}

async function checkOwner(db: Db, ownerId: string | null | undefined): Promise<void> {
  if (!ownerId) return;
  const { rows } = await db.query<{ disabled: boolean }>("SELECT disabled FROM users WHERE id = $1", [ownerId]);
  if (!rows[0] || rows[0].disabled) throw badRequest("The owner must be an active user.", [{ path: "ownerId", message: "no such active user" }]);
}

export async function createBudget(db: Db, input: BudgetCreate, principal: Principal): Promise<BudgetView> {
  const id = await withTransaction(async (tx) => {
    const facts = await checkScope(tx, input.scope, input.scopeValue);
    if (!mayManageBudget(principal, { scope: input.scope, featureOwnerId: facts.featureOwnerId })) throw forbidden(WHO_MAY_MANAGE_BUDGET);
    await checkOwner(tx, input.ownerId);
    const ownerId = input.ownerId === undefined ? userIdOf(principal) : input.ownerId;
    const { rows } = await tx.query<{ id: string }>(
      `INSERT INTO budgets (scope, scope_value, amount_usd, owner_id, created_by) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (scope, scope_value) DO NOTHING RETURNING id`,
      [input.scope, input.scopeValue, input.amountUsd, ownerId, actorOf(principal).label],
    );
    if (!rows[0]) throw conflict(`${budgetLabel(input)} already has a budget; change that one.`);
    await recordAudit(tx, actorOf(principal), {
      action: "budget.create",
      entityType: "budget",
      entityId: rows[0].id,
      after: { scope: input.scope, scopeValue: input.scopeValue, amountUsd: input.amountUsd, ownerId },
    });
    return rows[0].id;
  }, { db });
  return getBudget(db, id, principal);
}

export async function updateBudget(db: Db, id: string, patch: BudgetPatch, principal: Principal): Promise<BudgetView> {
  await withTransaction(async (tx) => {
    const { rows } = await tx.query<BudgetRow>(`${SELECT} WHERE b.id = $1 FOR UPDATE OF b`, [id]);
    const b = rows[0];
    if (!b || !maySeeBudget(principal, b)) throw notFound("Budget");
    if (!mayManageBudget(principal, b)) throw forbidden(WHO_MAY_MANAGE_BUDGET);
    await checkOwner(tx, patch.ownerId);
    const next = { amountUsd: patch.amountUsd ?? b.amountUsd, ownerId: patch.ownerId === undefined ? b.ownerId : patch.ownerId };
    await tx.query("UPDATE budgets SET amount_usd = $2, owner_id = $3, updated_at = now() WHERE id = $1", [id, next.amountUsd, next.ownerId]);
    // A new amount is a new question: this month's alert is asked again by the next check.
    if (patch.amountUsd !== undefined) await tx.query("DELETE FROM budget_alerts WHERE budget_id = $1 AND status = 'open'", [id]);
    await recordAudit(tx, actorOf(principal), {
      action: "budget.update",
      entityType: "budget",
      entityId: id,
      before: { amountUsd: new Decimal(b.amountUsd).toFixed(), ownerId: b.ownerId },
      after: { amountUsd: new Decimal(next.amountUsd).toFixed(), ownerId: next.ownerId },
    });
  }, { db });
  return getBudget(db, id, principal);
}

export async function deleteBudget(db: Db, id: string, principal: Principal): Promise<void> {
  await withTransaction(async (tx) => {
    const { rows } = await tx.query<BudgetRow>(`${SELECT} WHERE b.id = $1 FOR UPDATE OF b`, [id]);
    const b = rows[0];
    if (!b || !maySeeBudget(principal, b)) throw notFound("Budget");
    if (!mayManageBudget(principal, b)) throw forbidden(WHO_MAY_MANAGE_BUDGET);
    await tx.query("DELETE FROM budgets WHERE id = $1", [id]);
    await recordAudit(tx, actorOf(principal), {
      action: "budget.delete",
      entityType: "budget",
      entityId: id,
      before: { scope: b.scope, scopeValue: b.scopeValue, amountUsd: new Decimal(b.amountUsd).toFixed(), ownerId: b.ownerId },
    });
  }, { db });
}

/**
 * Ask every budget's forecast for the current month: a forecast above the budget opens an alert for its
 * owner (one per budget and month; a later check keeps its latest forecast). Returns the alerts opened now.
 */
export async function checkBudgets(db: Db, now = new Date()): Promise<{ checked: number; opened: string[] }> {
  const tz = await getSetting(db, "timezone");
  const month = parseMonth(currentMonth(now, tz))!;
  const today = localDate(now, tz);
  const { rows } = await db.query<BudgetRow>(SELECT);
  const opened: string[] = [];
  for (const b of rows) {
    const f = await forecastFor(db, b, month, today);
    const breach = new Decimal(f.forecast.cost).gt(b.amountUsd);
    if (breach) {
      // The alert and its notice commit together: a notice is never lost nor sent for an alert that is not there.
      const created = await withTransaction(async (tx) => {
        const r = await tx.query<{ created: boolean }>(
          `INSERT INTO budget_alerts (budget_id, month, forecast_usd, latest_forecast_usd, budget_usd) VALUES ($1, $2::date, $3, $3, $4)
           ON CONFLICT (budget_id, month) DO UPDATE SET latest_forecast_usd = EXCLUDED.latest_forecast_usd
           RETURNING (xmax = 0) AS created`,
          [b.id, month.start, f.forecast.cost, b.amountUsd],
        );
        const isNew = r.rows[0]?.created === true;
        if (isNew) {
          await notifyBudgetBreach(tx, { id: b.id, label: budgetLabel(b), ownerId: b.ownerId, month: month.label, amountUsd: new Decimal(b.amountUsd).toFixed(), forecastUsd: f.forecast.cost });
        }
        return isNew;
      }, { db });
      if (created) opened.push(b.id);
    } else {
      await db.query("UPDATE budget_alerts SET latest_forecast_usd = $3 WHERE budget_id = $1 AND month = $2::date", [b.id, month.start, f.forecast.cost]);
    }
  }
  return { checked: rows.length, opened };
}

/** The owner has seen the alert: it leaves My work (the budget page still shows it). */
export async function acknowledgeAlert(db: Db, id: string, month: Month, principal: Principal): Promise<void> {
  const { rows } = await db.query<BudgetRow>(`${SELECT} WHERE b.id = $1`, [id]);
  const b = rows[0];
  if (!b || !maySeeBudget(principal, b)) throw notFound("Budget");
  const me = userIdOf(principal);
  if (!(me !== null && me === b.ownerId) && !mayManageBudget(principal, b)) throw forbidden("Only the budget's owner, finance or an admin may acknowledge its alert.");
  const r = await db.query("UPDATE budget_alerts SET status = 'acknowledged', acknowledged_by_id = $3, acknowledged_at = now() WHERE budget_id = $1 AND month = $2::date AND status = 'open'", [
    id,
    month.start,
    me,
  ]);
  if (r.rowCount === 0) throw notFound("Open budget alert");
}

/** The user's budgets with an open alert (My work). */
export async function openAlertsOf(db: Db, userId: string): Promise<{ id: string; label: string; month: string; amountUsd: string; forecastUsd: string }[]> {
  const { rows } = await db.query<{ id: string; scope: BudgetScope; scope_value: string; month: string; amount_usd: string; latest: string }>(
    `SELECT b.id, b.scope, b.scope_value, to_char(a.month, 'YYYY-MM') AS month, b.amount_usd::text, a.latest_forecast_usd::text AS latest
     FROM budget_alerts a JOIN budgets b ON b.id = a.budget_id
     WHERE a.status = 'open' AND b.owner_id = $1 ORDER BY a.month DESC, a.opened_at`,
    [userId],
  );
  return rows.map((r) => ({
    id: r.id,
    label: budgetLabel({ scope: r.scope, scopeValue: r.scope_value }),
    month: r.month,
    amountUsd: new Decimal(r.amount_usd).toFixed(),
    forecastUsd: new Decimal(r.latest).toFixed(),
  }));
}
