// ISO weeks: "2026-W47" ⇄ the Monday that starts it, and the last complete week in a time zone.
export type IsoWeek = { label: string; monday: string };

const DAY = 86_400_000;

/** Monday (YYYY-MM-DD) of ISO week `label` ("2026-W47"), or null when the label is not a valid week. */
export function mondayOf(label: string): string | null {
  const m = /^(\d{4})-W(\d{2})$/.exec(label);
  if (!m) return null;
  const year = Number(m[1]);
  const week = Number(m[2]);
  // ISO week 1 is the week with 4 January in it.
  const jan4 = Date.UTC(year, 0, 4);
  const week1Monday = jan4 - ((new Date(jan4).getUTCDay() + 6) % 7) * DAY;
  const monday = new Date(week1Monday + (week - 1) * 7 * DAY);
  if (week < 1 || isoLabel(monday.toISOString().slice(0, 10)) !== label) return null;
  return monday.toISOString().slice(0, 10);
}

/** "2026-W47" for the ISO week containing the date (YYYY-MM-DD). */
export function isoLabel(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  const thursday = new Date(d.getTime() + (3 - ((d.getUTCDay() + 6) % 7)) * DAY);
  const year = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / (7 * DAY)) + 1;
  return `${year}-W${String(week).padStart(2, "0")}`;
}

/** The calendar day `n` days after `day` (YYYY-MM-DD). */
export function addDays(day: string, n: number): string {
  return new Date(new Date(`${day}T00:00:00Z`).getTime() + n * DAY).toISOString().slice(0, 10);
}

export function addWeeks(monday: string, n: number): string {
  return new Date(new Date(`${monday}T00:00:00Z`).getTime() + n * 7 * DAY).toISOString().slice(0, 10);
}

/** The local calendar date of `at` in time zone `tz`. */
export function localDate(at: Date, tz: string): string {
  const parts = new Intl.DateTimeFormat("en-CA", { timeZone: tz, year: "numeric", month: "2-digit", day: "2-digit" }).format(at);
  return parts; // en-CA formats as YYYY-MM-DD
}

/** Monday of the current week in `tz`, and of the last complete week (the one before it). */
export function currentMonday(at: Date, tz: string): string {
  const d = localDate(at, tz);
  const day = (new Date(`${d}T00:00:00Z`).getUTCDay() + 6) % 7;
  return new Date(new Date(`${d}T00:00:00Z`).getTime() - day * DAY).toISOString().slice(0, 10);
}

export function lastCompleteMonday(at: Date, tz: string): string {
  return addWeeks(currentMonday(at, tz), -1);
}

/** Where a week stands on `at` in `tz`: over, under way, or not started yet. */
export type WeekState = "complete" | "in_progress" | "future";

export function weekState(monday: string, at: Date, tz: string): WeekState {
  const current = currentMonday(at, tz);
  return monday < current ? "complete" : monday === current ? "in_progress" : "future";
}
