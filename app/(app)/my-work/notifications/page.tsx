import type { Metadata } from "next";
import Link from "next/link";
import { requirePage } from "@/lib/auth/session";
import { myNotificationsPageData } from "@/lib/notify/page-data";
import { PageHeader } from "@/components/ui/page-header";
import { NotificationPreferencesForm } from "@/components/notify/notification-preferences";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Notifications" };

export default async function MyNotificationsPage() {
  const user = await requirePage(null, "/my-work/notifications");
  const { preferences, emailReady } = await myNotificationsPageData(user.id);
  return (
    <>
      <PageHeader
        title="Notifications"
        description={`What Cost Review emails you (${user.email}) about. Every email also has a link that stops its kind.`}
        actions={<Link href="/my-work" className="rounded-md border border-slate-300 bg-white px-3 py-1.5 hover:bg-slate-50">My work</Link>}
      />
      <NotificationPreferencesForm preferences={preferences} emailReady={emailReady} />
    </>
  );
}
