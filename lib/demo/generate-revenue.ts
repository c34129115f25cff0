// The demo's customers and their revenue, once the rollups hold the demo events (customers are made on
// first sight by the rollup refresh): the large accounts get names and their plan, and every customer
// of a paid plan gets a monthly fee for each month that has ended. Free customers pay nothing and get no
// revenue row ("no revenue"). Fees are flat per plan, sized from the demo's own costs so that a plan's
// AI cost is about a quarter of its revenue: heavy customers of a plan cost more than light ones for the
// same fee. Acme's contract was priced before its ramp-up: it is the customer clearly under water.
// Globex's revenue is uploaded per feature, so margin by feature has something to show.
import Decimal from "decimal.js";
import type { Db } from "@/lib/db/client";
import { addMonths, currentMonth, parseMonth } from "@/lib/finance/months";
import { getSetting } from "@/lib/settings/settings";

const NAMED: Record<string, { name: string; plan: string }> = {
  acme: { name: "Acme Corp", plan: "enterprise" },
  globex: { name: "Globex", plan: "enterprise" },
  initech: { name: "Initech", plan: "pro" },
  "ent-001": { name: "Northwind Traders", plan: "enterprise" },
  "ent-002": { name: "Umbrella Health", plan: "enterprise" },
  "ent-003": { name: "Stark Logistics", plan: "enterprise" },
};

/** AI cost ÷ revenue each paid plan is priced for; Acme's contract covers well under its cost. */
const TARGET_COST_SHARE: Record<string, string> = { pro: "0.25", enterprise: "0.25", globex: "0.35", initech: "0.3", acme: "1.6" };
/** How Globex's revenue is split over the features it uses. */
const GLOBEX_FEATURES: [string, string][] = [["chat", "0.4"], ["summaries", "0.3"], ["semantic-search", "0.2"], ["ticket-triage", "0.1"]];

type Row = { month: string; customerId: string; feature: string; amountUsd: string };

/** Names the large customers and stores the demo's revenue rows; returns how many rows were stored. */
export async function seedDemoRevenue(db: Db, now = new Date()): Promise<number> {
  for (const [id, c] of Object.entries(NAMED)) await db.query("UPDATE customers SET name = $2, plan = $3 WHERE id = $1", [id, c.name, c.plan]);
  const tz = await getSetting(db, "timezone");
  const current = parseMonth(currentMonth(now, tz))!;
  const { rows } = await db.query<{ month: string; customer_id: string; cohort: string | null; cost: string; first_day: string }>(
    `SELECT to_char(date_trunc('month', d.day), 'YYYY-MM') AS month, d.customer_id, cu.last_cohort AS cohort,
       (sum(d.direct_cost) + sum(d.gpu_cost) + sum(d.overhead_cost))::text AS cost,
       to_char((SELECT min(day) FROM customer_daily), 'YYYY-MM-DD') AS first_day
     FROM customer_daily d JOIN customers cu ON cu.id = d.customer_id
     WHERE d.day < $1::date GROUP BY 1, 2, 3 ORDER BY 1, 2`,
    [current.start],
  );
  if (rows.length === 0) return 0;
  // A plan's fee: its customers' mean monthly cost over the whole months (all, when none is whole) ÷ the plan's target share.
  const firstDay = rows[0]!.first_day;
  const wholeFrom = firstDay.endsWith("-01") ? firstDay.slice(0, 7) : addMonths(firstDay.slice(0, 7), 1);
  const planOf = (r: { customer_id: string; cohort: string | null }) => (TARGET_COST_SHARE[r.customer_id] ? r.customer_id : (r.cohort ?? "free"));
  const sums = new Map<string, { cost: Decimal; n: number }>();
  const whole = rows.filter((x) => x.month >= wholeFrom);
  for (const r of whole.length ? whole : rows) {
    const s = sums.get(planOf(r)) ?? { cost: new Decimal(0), n: 0 };
    sums.set(planOf(r), { cost: s.cost.plus(r.cost), n: s.n + 1 });
  }
  const fee = (plan: string) => {
    const s = sums.get(plan);
    const share = TARGET_COST_SHARE[plan];
    return s && share ? s.cost.div(s.n).div(share).toDecimalPlaces(2, Decimal.ROUND_UP).toFixed(2) : null;
  };
  // The demo's first month is only partly covered: its fees are for the part covered, to the cent.
  const covered = (month: string) => {
    const m = parseMonth(month)!;
    const days = (Date.parse(m.end) - Date.parse(m.start)) / 86_400_000;
    const from = firstDay > m.start ? firstDay : m.start;
    return new Decimal((Date.parse(m.end) - Date.parse(from)) / 86_400_000).div(days);
  };
  const out: Row[] = [];
  for (const r of rows) {
    const f = fee(planOf(r));
    if (f === null) continue;
    const amount = new Decimal(f).times(covered(r.month));
    if (r.customer_id === "globex") {
      for (const [feature, part] of GLOBEX_FEATURES) out.push({ month: r.month, customerId: r.customer_id, feature, amountUsd: amount.times(part).toDecimalPlaces(2).toFixed(2) });
    } else out.push({ month: r.month, customerId: r.customer_id, feature: "", amountUsd: amount.toDecimalPlaces(2).toFixed(2) });
  }
  await db.query(
    `INSERT INTO customer_revenue (month, customer_id, feature, amount_usd, entered_by)
     SELECT (m || '-01')::date, c, f, a, 'seed' FROM unnest($1::text[], $2::text[], $3::text[], $4::numeric[]) AS t(m, c, f, a)
     ON CONFLICT (month, customer_id, feature) DO UPDATE SET amount_usd = EXCLUDED.amount_usd`,
    [out.map((r) => r.month), out.map((r) => r.customerId), out.map((r) => r.feature), out.map((r) => r.amountUsd)],
  );
  return out.length;
}
