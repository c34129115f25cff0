import type { Metadata } from "next";
import { requirePage } from "@/lib/auth/session";
import { PageHeader } from "@/components/ui/page-header";
import { SettingsTabs } from "@/components/settings/settings-tabs";
import { UploadEvents } from "@/components/settings/upload-events";
import { UploadQuality } from "@/components/quality/upload-quality";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Upload events" };

export default async function UploadEventsPage() {
  await requirePage("events.ingest", "/settings/upload");
  return (
    <>
      <PageHeader
        title="Settings"
        description="Load cost events from a file: a backfill, a provider export, or costs that no service sends. Services send events through the API instead."
      />
      <SettingsTabs current="/settings/upload" />
      <UploadEvents />
      <UploadQuality />
    </>
  );
}
