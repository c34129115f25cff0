import type { Metadata } from "next";
import { requirePage } from "@/lib/auth/session";
import { PageHeader } from "@/components/ui/page-header";
import { NotYet } from "@/components/ui/not-yet";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Releases" };

export default async function ReleasesPage() {
  await requirePage("review.read", "/releases");
  return (
    <>
      <PageHeader title="Releases" description="What shipped, where, and what it did to cost per request and quality." />
      <NotYet title="Releases are not recorded yet">
        <p>This version of Cost Review does not record releases yet. Nothing is shown until it does.</p>
      </NotYet>
    </>
  );
}
