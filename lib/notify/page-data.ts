// What Settings → Notifications loads: the channels (no secrets), the delivery settings and the delivery
// log. An entry point, taking the app's database handle once per call.
import { pool } from "@/lib/db/client";
import { getSetting } from "@/lib/settings/settings";
import { listChannels, type ChannelView } from "@/lib/notify/channels";
import { listDeliveries, type Delivery } from "@/lib/notify/outbox";
import type { DeliverySettings } from "@/lib/notify/schemas";

export type NotificationsPageData = { channels: ChannelView[]; delivery: DeliverySettings; deliveries: Delivery[] };

export async function notificationsPageData(): Promise<NotificationsPageData> {
  const db = pool();
  const [channels, delivery, deliveries] = await Promise.all([listChannels(db), getSetting(db, "notifications.delivery"), listDeliveries(db, { limit: 100 })]);
  return { channels, delivery, deliveries };
}
