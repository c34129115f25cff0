// An email's unsubscribe link lands here, without a sign-in. Opening it changes nothing (mail scanners
// open links): it names the person and the kind and asks; the button posts to /api/v1/unsubscribe,
// which applies it and sends the browser back here to say it is done.
import type { Metadata } from "next";
import Link from "next/link";
import { unsubscribePageData } from "@/lib/notify/page-data";
import { StatusPage, statusAction, statusSecondary } from "@/components/ui/status-page";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Unsubscribe", robots: { index: false } };

export default async function UnsubscribePage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  return <div className="px-4">{await content(await searchParams)}</div>;
}

async function content(params: Record<string, string | undefined>) {
  const link = await unsubscribePageData(params);
  if (!link) {
    return (
      <StatusPage title="This unsubscribe link is not valid" message="It may have been cut short in the email. Sign in and choose what you get under My work → Notifications.">
        <Link href="/my-work/notifications" className={statusAction}>
          Notification settings
        </Link>
      </StatusPage>
    );
  }
  if (params.done === "1" || link.channel === "none") {
    return (
      <StatusPage title="Unsubscribed" message={`${link.email} gets no more emails for: ${link.label}. You can turn it back on under My work → Notifications.`}>
        <Link href="/my-work/notifications" className={statusSecondary}>
          Notification settings
        </Link>
      </StatusPage>
    );
  }
  const action = `/api/v1/unsubscribe?${new URLSearchParams({ u: params.u!, k: params.k!, t: params.t! })}`;
  return (
    <StatusPage title="Stop these emails?" message={`${link.email} will get no more emails for: ${link.label}.`}>
      <form method="post" action={action}>
        <button type="submit" className={statusAction}>
          Unsubscribe
        </button>
      </form>
    </StatusPage>
  );
}
