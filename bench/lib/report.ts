// Prints section results as plain-text tables.
import { targetMet, type SectionResult } from "./section";

const nf = (digits: number) => new Intl.NumberFormat("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });

export function formatNumber(value: number, unit: string): string {
  if (!Number.isFinite(value)) return String(value);
  const digits = unit === "s" || unit === "ratio" ? (value < 10 ? 3 : 1) : unit === "ms" ? (value < 100 ? 1 : 0) : Math.abs(value) >= 100 ? 0 : 2;
  return nf(digits).format(value);
}

function table(rows: string[][], align: ("l" | "r")[]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? "").length)));
  return rows
    .map((r) => "  " + r.map((cell, c) => (align[c] === "r" ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join("   ").trimEnd())
    .join("\n");
}

export function renderSection(s: SectionResult): string {
  const out = [`\n== ${s.title} ==`];
  out.push(
    table(
      [["metric", "value", "unit", ""], ...s.metrics.map((m) => [m.label, formatNumber(m.value, m.unit), m.unit, m.detail ?? ""])],
      ["l", "r", "l", "l"],
    ),
  );
  if (s.ratios.length) {
    out.push("");
    out.push(
      table(
        [
          ["ratio", "value", "target", "", "measured ÷ baseline"],
          ...s.ratios.map((r) => {
            const met = targetMet(r);
            const target = r.target ? [r.target.min !== undefined ? `≥ ${r.target.min}` : "", r.target.max !== undefined ? `≤ ${r.target.max}` : ""].filter(Boolean).join(" ") : "";
            return [r.label, formatNumber(r.value, "ratio"), target, met === null ? "" : met ? "met" : "BELOW TARGET", `${r.measured} ÷ ${r.baseline}`];
          }),
        ],
        ["l", "r", "l", "l", "l"],
      ),
    );
  }
  for (const n of s.notes) out.push(`  note: ${n}`);
  return out.join("\n");
}
