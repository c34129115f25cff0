// Shared pieces of the review workflow. (Ids, dates and weeks are parsed at the route boundary, with
// lib/http/params.ts; who may act on which object is lib/auth/policies.ts; transactions are
// withTransaction in lib/db/transaction.ts.)

export const iso = (d: Date | null | undefined): string | null => (d ? d.toISOString() : null);
