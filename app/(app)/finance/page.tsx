import type { Metadata } from "next";
import { requirePage } from "@/lib/auth/session";
import { PageHeader } from "@/components/ui/page-header";
import { NotYet } from "@/components/ui/not-yet";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Finance" };

export default async function FinancePage() {
  await requirePage("finance.read", "/finance");
  return (
    <>
      <PageHeader
        title="Finance"
        description="Monthly rollup per team, feature, cohort and model; chargeback lines; reconciliation against provider invoices."
      />
      <NotYet title="No cost data yet">
        <p>
          The monthly rollup, chargeback lines and CSV downloads appear here once Cost Review collects cost events. This
          version does not ingest events yet, so there are no figures to book.
        </p>
      </NotYet>
    </>
  );
}
