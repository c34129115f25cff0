// Cohort kinds: a pricing tier (free, pro, enterprise) or a tenant (one customer organisation).
export const COHORT_KINDS = ["tier", "tenant"] as const;
/** cohorts.kind (a CHECK in the database). */
export type CohortKind = (typeof COHORT_KINDS)[number];
