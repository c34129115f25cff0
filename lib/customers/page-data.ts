// Everything the customer pages show, in one call each.
import { pool } from "@/lib/db/client";
import { monthFrame, type MonthFrame } from "@/lib/finance/close-month";
import { addMonths, type Month } from "@/lib/finance/months";
import { customerDetail, customerList, marginOverview, type CustomerDetail, type CustomerList, type MarginOverview } from "@/lib/customers/margin";
import type { CustomerListQuery } from "@/lib/customers/schemas";
import { listPlanRates, type PlanRate } from "@/lib/customers/plan-rates";

export type CustomersPageData = MonthFrame & {
  overview: MarginOverview;
  /** The month's under-water customers (first page of them, worst margin first). */
  underWater: CustomerList;
  /** The searched, sorted page of all the month's customers. */
  list: CustomerList;
  /** Every plan with its assumed revenue per request (the fallback without uploaded revenue). */
  plans: PlanRate[];
};

export async function customersPageData(q: CustomerListQuery): Promise<CustomersPageData> {
  const db = pool();
  const m: Month = q.month;
  const [frame, overview, underWater, list, plans] = await Promise.all([
    monthFrame(db, m),
    marginOverview(db, m),
    customerList(db, { month: m, sort: "margin", page: 1, pageSize: 50, underWater: true }),
    customerList(db, q),
    listPlanRates(db),
  ]);
  return {
    ...frame,
    overview,
    underWater,
    list,
    plans,
  };
}

export type CustomerPageData = { month: string; previousMonth: string; nextMonth: string; customer: CustomerDetail | null };

export async function customerPageData(id: string, m: Month): Promise<CustomerPageData> {
  return { month: m.label, previousMonth: addMonths(m.label, -1), nextMonth: addMonths(m.label, 1), customer: await customerDetail(pool(), id, m) };
}
