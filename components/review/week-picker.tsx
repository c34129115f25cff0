"use client";
// Picks the week a page ends on: the chosen ISO week goes into the address (?week=2026-W47).
import { usePathname, useRouter } from "next/navigation";

export function WeekPicker({ weeks, value, label = "Week" }: { weeks: string[]; value: string; label?: string }) {
  const router = useRouter();
  const pathname = usePathname();
  return (
    <label className="inline-flex items-center gap-2 text-sm text-slate-700">
      {label}
      <select
        value={value}
        onChange={(e) => router.push(`${pathname}?week=${encodeURIComponent(e.target.value)}`)}
        className="rounded-md border border-slate-300 bg-white px-2 py-1.5"
      >
        {weeks.map((w) => (
          <option key={w} value={w}>
            {w}
          </option>
        ))}
      </select>
    </label>
  );
}
