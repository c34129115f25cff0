import type { Metadata } from "next";
import { requirePage } from "@/lib/auth/session";
import { PageHeader } from "@/components/ui/page-header";
import { NotYet } from "@/components/ui/not-yet";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Follow-ups" };

export default async function FollowUpsPage() {
  await requirePage("review.read", "/follow-ups");
  return (
    <>
      <PageHeader title="Follow-ups" description="Actions from weekly reviews, each with one owner and a due date." />
      <NotYet title="No review sessions yet">
        <p>Follow-ups come out of weekly review sessions, which this version of Cost Review does not run yet.</p>
      </NotYet>
    </>
  );
}
