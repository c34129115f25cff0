import type { Metadata } from "next";
import { requirePage } from "@/lib/auth/session";
import { listEndpoints } from "@/lib/org/list-endpoints";
import { reviewSettingsPageData } from "@/lib/settings/page-data";
import { PageHeader } from "@/components/ui/page-header";
import { Card } from "@/components/ui/card";
import { SettingsTabs } from "@/components/settings/settings-tabs";
import { ReviewSettingsForm } from "@/components/settings/review-settings-form";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Review settings" };

export default async function ReviewSettingsPage() {
  await requirePage("settings.manage", "/settings/review");
  const [settings, endpoints] = await Promise.all([reviewSettingsPageData(), listEndpoints()]);
  return (
    <>
      <PageHeader
        title="Settings"
        description="When a week-over-week move in cost per request becomes a review item. Every change is recorded in the audit log."
      />
      <SettingsTabs current="/settings/review" />
      <Card title="Weekly review">
        <p className="mb-4 max-w-3xl text-slate-600">
          An endpoint or cohort is flagged when its mean cost per request moved by at least the threshold (up or down) against the
          previous week, on at least the minimum number of requests. An endpoint&apos;s own threshold wins over the global one. The
          time zone decides where weeks start; changing it rebuilds the rollups.
        </p>
        <ReviewSettingsForm
          settings={settings}
          endpoints={endpoints.map((e) => ({ slug: e.slug, name: e.name, feature: e.feature.name }))}
          timeZones={Intl.supportedValuesOf("timeZone")}
        />
      </Card>
    </>
  );
}
