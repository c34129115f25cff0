import type { Metadata } from "next";
import { requirePage } from "@/lib/auth/session";
import { roleCan } from "@/lib/auth/permissions";
import { endpointNames } from "@/lib/org/list-endpoints";
import { formatPct } from "@/lib/format";
import { releasesPageData, scenarioChoices } from "@/lib/releases/page-data";
import { PageHeader } from "@/components/ui/page-header";
import { Card } from "@/components/ui/card";
import { ReleaseForm } from "@/components/releases/release-form";
import { ReleasesTable } from "@/components/releases/releases-table";
import { ReleaseWindowForm } from "@/components/releases/window-form";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Releases" };

export default async function ReleasesPage() {
  const user = await requirePage("review.read", "/releases");
  const { checks, windowDays } = await releasesPageData();
  const mayRecord = roleCan(user.role, "review.write");
  const [endpoints, scenarios] = mayRecord ? await Promise.all([endpointNames(), scenarioChoices()]) : [[], []];
  return (
    <>
      <PageHeader title="Releases" description="What shipped, where, and what it did to cost per request: a release whose cost per request rose past the review threshold needs a justification from the feature's owner." />
      <div className="grid gap-4">
        <Card title="Releases, newest first">
          {checks.length === 0 ? (
            <p className="text-slate-600">No releases recorded yet. Record one below, post one from a deploy pipeline, or run `cost-review release`.</p>
          ) : (
            <ReleasesTable
              rows={checks.map((c) => ({
                id: c.release.id,
                version: c.release.version,
                title: c.release.title,
                shippedAt: c.release.shippedAt,
                endpoints: c.release.touchedEndpoints.join(", "),
                author: c.release.author,
                change: c.endpoints.map((e) => `${e.endpoint} ${formatPct(e.changePct)}`).join(" · ") || "—",
                status: c.status,
                regression: c.regression,
              }))}
            />
          )}
        </Card>
        {roleCan(user.role, "settings.manage") ? (
          <Card title="Comparison window">
            <p className="mb-3 text-sm text-slate-600">
              Each release is compared over this many days before and after it shipped, cut short by the previous and next release of the same endpoint.
            </p>
            <ReleaseWindowForm windowDays={windowDays} />
          </Card>
        ) : null}
        {mayRecord ? (
          <Card title="Record a release">
            <ReleaseForm endpoints={endpoints} scenarios={scenarios} />
          </Card>
        ) : null}
      </div>
    </>
  );
}
