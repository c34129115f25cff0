// One row of the weekly review (an endpoint, or one of its cohorts in subRows): what the review page
// prepares (lib/review/review-page-data.ts), the review table shows and a session freezes. Money as
// decimal strings.
export type ReviewRowData = {
  id: string;
  label: string;
  detail: string | null;
  href: string | null;
  requests: number;
  requestsChange: string | null;
  /** The week is still in progress: `requests` is a count so far, not compared with the previous week. */
  requestsSoFar?: boolean;
  total: string;
  mean: string | null;
  meanChange: string | null;
  p50: string | null;
  p50Change: string | null;
  p95: string | null;
  p95Change: string | null;
  sparkline: { week: string; value: number | null }[];
  cacheShare: number | null;
  unpricedRequests: number;
  latencyP95Ms: number | null;
  errorRate: number;
  flagged: boolean;
  /** How many of this endpoint's cohorts are flagged (endpoint rows only). */
  flaggedCohorts?: number;
  thresholdPct: string;
  /** The endpoint's primary quality metric over the week (samples-weighted) and its change in points. */
  quality?: { metric: string; value: string; samples: number; changePts: string | null } | null;
  /** Total cost ÷ successes of the primary metric. */
  costPerSuccess?: string | null;
  target?: { target: string | null; ceiling: string | null; revenue: string | null; latencyBudgetMs: number | null } | null;
  /** Mean cost per request over the ceiling or over the target. */
  breach?: "ceiling" | "target" | null;
  /** Revenue per request − mean cost per request. */
  margin?: string | null;
  subRows?: ReviewRowData[];
};
