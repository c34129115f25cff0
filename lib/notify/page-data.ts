// What Settings → Notifications loads (the channels, no secrets; the delivery settings; the delivery
// log), a person's notification preferences and the unsubscribe page. An entry point, taking the app's database handle once per call.
import { pool } from "@/lib/db/client";
import { getSettings } from "@/lib/settings/settings";
import { emailChannel, listChannels, type ChannelView } from "@/lib/notify/channels";
import { listDeliveries, type Delivery } from "@/lib/notify/outbox";
import { unsubscribeQuery, type DeliverySettings, type DigestSettings } from "@/lib/notify/schemas";
import { checkUnsubscribe, getPreferences, type Preference } from "@/lib/notify/preferences";

export type NotificationsPageData = { channels: ChannelView[]; delivery: DeliverySettings; digest: DigestSettings; timezone: string; deliveries: Delivery[] };

export async function notificationsPageData(): Promise<NotificationsPageData> {
  const db = pool();
  const [channels, settings, deliveries] = await Promise.all([listChannels(db), getSettings(db, ["notifications.delivery", "notifications.digest", "timezone"]), listDeliveries(db, { limit: 100 })]);
  return { channels, delivery: settings["notifications.delivery"], digest: settings["notifications.digest"], timezone: settings.timezone, deliveries };
}

/** My work → Notifications: every kind with the signed-in person's choice. */
export async function myNotificationsPageData(userId: string): Promise<{ preferences: Preference[]; emailReady: boolean }> {
  const db = pool();
  const [preferences, smtp] = await Promise.all([getPreferences(db, userId), emailChannel(db)]);
  return { preferences, emailReady: smtp?.enabled === true };
}

/**
 * The unsubscribe page: whose link it is and for which kind, or null when the link is not valid (cut
 * short, edited, or for a person who no longer exists). Reading it changes nothing.
 */
export async function unsubscribePageData(params: Record<string, string | undefined>): Promise<Awaited<ReturnType<typeof checkUnsubscribe>> | null> {
  const q = unsubscribeQuery.safeParse({ u: params.u, k: params.k, t: params.t });
  if (!q.success) return null;
  try {
    return await checkUnsubscribe(pool(), q.data);
  } catch {
    return null;
  }
}
