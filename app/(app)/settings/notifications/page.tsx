import type { Metadata } from "next";
import { requirePage } from "@/lib/auth/session";
import { notificationsPageData } from "@/lib/notify/page-data";
import { EVENT_TYPES } from "@/lib/notify/schemas";
import { PageHeader } from "@/components/ui/page-header";
import { SettingsTabs } from "@/components/settings/settings-tabs";
import { NotificationsAdmin } from "@/components/settings/notifications-admin";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Notifications" };

export default async function NotificationsSettingsPage() {
  await requirePage("notifications.manage", "/settings/notifications");
  const data = await notificationsPageData();
  return (
    <>
      <PageHeader
        title="Settings"
        description="Where messages go (email, Slack, webhooks), how deliveries are retried, and what was sent. Secrets are never shown again once saved."
      />
      <SettingsTabs current="/settings/notifications" />
      <NotificationsAdmin {...data} events={Object.keys(EVENT_TYPES)} />
    </>
  );
}
