// Finance months: "2026-10" ⇄ the calendar month in the organisation's time zone.
import { localDate } from "@/lib/rollups/weeks";

export type Month = { label: string; start: string; end: string };

/** "2026-10" → first day and first day of the next month (YYYY-MM-DD), or null when not a month. */
export function parseMonth(label: string): Month | null {
  const m = /^(\d{4})-(\d{2})$/.exec(label);
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  if (month < 1 || month > 12 || year < 1970 || year > 9999) return null;
  return { label, start: `${label}-01`, end: `${addMonths(label, 1)}-01` };
}

export function addMonths(label: string, n: number): string {
  const [y, m] = label.split("-").map(Number) as [number, number];
  const idx = y * 12 + (m - 1) + n;
  return `${String(Math.floor(idx / 12)).padStart(4, "0")}-${String((idx % 12) + 1).padStart(2, "0")}`;
}

/** The month `at` falls in, in time zone `tz`. */
export function currentMonth(at: Date, tz: string): string {
  return localDate(at, tz).slice(0, 7);
}

/** The last month that has ended in `tz`: what finance books. */
export function lastCompleteMonth(at: Date, tz: string): string {
  return addMonths(currentMonth(at, tz), -1);
}
