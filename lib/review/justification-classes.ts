// The classes a cost movement is explained with: shared by the release variance check and the weekly
// review's movement items, so a release's justification and a review item's read the same way.
export const JUSTIFICATION_CLASSES = [
  "quality_improvement",
  "launch",
  "traffic_shift",
  "provider_price_change",
  "regression",
  "unknown",
] as const;

export type JustificationClass = (typeof JUSTIFICATION_CLASSES)[number];

export const JUSTIFICATION_CLASS_LABELS: Record<JustificationClass, string> = {
  quality_improvement: "Quality improvement",
  launch: "Launch",
  traffic_shift: "Traffic / cohort shift",
  provider_price_change: "Provider price change",
  regression: "Regression",
  unknown: "Unknown",
};

export function isJustificationClass(value: unknown): value is JustificationClass {
  return typeof value === "string" && (JUSTIFICATION_CLASSES as readonly string[]).includes(value);
}
