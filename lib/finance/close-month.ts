// Closing and reopening a month (closed_months). A closed month's costs are booked: the price book
// and GPU pool changes refuse to re-price it (lib/pricing/price-book.ts, lib/pricing/gpu-pools.ts), and
// its invoices are frozen. Both directions are audited with the month's total at that moment.
//
// Decisions:
// - Only a month that has ended in the organisation's time zone can be closed.
// - The price book names months by UTC calendar month; a closed month locks re-pricing of the events
//   whose UTC month it is. With a time zone other than UTC, the few hours at each month edge that the
//   two calendars assign differently follow the UTC month for the lock.
import type pg from "pg";
import type { Db } from "@/lib/db/client";
import { recordAudit, type Actor } from "@/lib/audit/record-audit";
import { badRequest, conflict } from "@/lib/errors";
import type { MonthChange } from "@/lib/finance/schemas";
import type { Prisma } from "@/lib/generated/prisma/client";
import { addMonths, currentMonth, type Month } from "@/lib/finance/months";
import { monthlyRollup } from "@/lib/finance/monthly";
import { getSetting } from "@/lib/settings/settings";
import { withTransaction } from "@/lib/db/transaction";

export type MonthStatus = { month: string; closed: boolean; closedAt: string | null; closedBy: string | null };

const monthDate = (m: Month) => new Date(`${m.start}T00:00:00Z`);

export async function isMonthClosed(tx: Prisma.TransactionClient, m: Month): Promise<boolean> {
  return (await tx.closedMonth.findUnique({ where: { month: monthDate(m) } })) !== null;
}

export async function monthStatus(db: pg.Pool | pg.PoolClient, m: Month): Promise<MonthStatus> {
  const { rows } = await db.query<{ closed_at: Date; closed_by: string }>("SELECT closed_at, closed_by FROM closed_months WHERE month = $1::date", [m.start]);
  const r = rows[0];
  return { month: m.label, closed: !!r, closedAt: r ? r.closed_at.toISOString() : null, closedBy: r?.closed_by ?? null };
}

/** PATCH a month: {closed: true} closes it, {closed: false} reopens it. */
export async function setMonthClosed(db: Db, m: Month, change: MonthChange, actor: Actor): Promise<MonthStatus> {
  const tz = await getSetting(db, "timezone");
  if (change.closed && m.label >= currentMonth(new Date(), tz)) {
    throw badRequest(`${m.label} has not ended yet (time zone ${tz}); only a past month can be closed.`, [
      { path: "month", message: "only a month that has ended can be closed" },
    ]);
  }
  const total = (await monthlyRollup(db, { month: m, groupBy: [], filters: {} })).totals.totalCost;
  return withTransaction(async (tx) => {
    const existing = await tx.prisma.closedMonth.findUnique({ where: { month: monthDate(m) } });
    if (change.closed) {
      if (existing) throw conflict(`${m.label} is already closed (by ${existing.closedBy} at ${existing.closedAt.toISOString()}).`);
      const row = await tx.prisma.closedMonth.create({ data: { month: monthDate(m), closedBy: actor.label } });
      await recordAudit(tx, actor, { action: "finance.month.close", entityType: "month", entityId: m.label, before: { closed: false }, after: { closed: true, totalCost: total } });
      return { month: m.label, closed: true, closedAt: row.closedAt.toISOString(), closedBy: row.closedBy };
    }
    if (!existing) throw conflict(`${m.label} is not closed.`);
    await tx.prisma.closedMonth.delete({ where: { month: monthDate(m) } });
    await recordAudit(tx, actor, {
      action: "finance.month.reopen",
      entityType: "month",
      entityId: m.label,
      before: { closed: true, closedBy: existing.closedBy, closedAt: existing.closedAt.toISOString() },
      after: { closed: false, totalCost: total },
    });
    return { month: m.label, closed: false, closedAt: null, closedBy: null };
  }, { db });
}

/** What every month page shows around its figures: the neighbouring months, the time zone, whether it has ended, and its close. */
export type MonthFrame = {
  month: string;
  previousMonth: string;
  nextMonth: string;
  timezone: string;
  /** The month has ended (it can be closed). */
  ended: boolean;
  status: MonthStatus;
};

export async function monthFrame(db: Db, m: Month): Promise<MonthFrame> {
  const [timezone, status] = await Promise.all([getSetting(db, "timezone"), monthStatus(db, m)]);
  return {
    month: m.label,
    previousMonth: addMonths(m.label, -1),
    nextMonth: addMonths(m.label, 1),
    timezone,
    ended: m.label < currentMonth(new Date(), timezone),
    status,
  };
}
