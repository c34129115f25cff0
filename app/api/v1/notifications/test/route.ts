// Send a test message through a channel (admins): {channelId, to?} (to: the address, for email). The message
// goes through the outbox like any other; 202 with its id, which the delivery log shows.
import { route } from "@/lib/auth/api";
import { actorOf } from "@/lib/auth/principal";
import { pool } from "@/lib/db/client";
import { enqueueTestMessage } from "@/lib/notify/outbox";
import { testMessageSchema } from "@/lib/notify/schemas";
import { wakeNotificationWorker } from "@/lib/notify/scheduler";

export const dynamic = "force-dynamic";

export const POST = route({ permission: "notifications.manage", body: testMessageSchema }, async ({ body, principal }) => {
  const queued = await enqueueTestMessage(pool(), body, actorOf(principal));
  wakeNotificationWorker();
  return Response.json(queued, { status: 202 });
});
