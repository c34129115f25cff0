import type { Metadata } from "next";
import { requirePage } from "@/lib/auth/session";
import { PageHeader } from "@/components/ui/page-header";
import { NotYet } from "@/components/ui/not-yet";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Review" };

export default async function ReviewPage() {
  await requirePage("review.read", "/review");
  return (
    <>
      <PageHeader
        title="Weekly review"
        description="Week-over-week cost per request by endpoint and cohort, with releases, quality, latency and error rate beside it."
      />
      <NotYet title="No cost data yet">
        <p>
          This page shows the weekly review once Cost Review collects cost events. This version does not ingest events yet,
          so there is nothing to review: no figures are shown rather than made-up ones.
        </p>
        <p>The endpoints, features, teams and cohorts it will report on are listed under Endpoints.</p>
      </NotYet>
    </>
  );
}
