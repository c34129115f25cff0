// Retry a dead letter (admins): it goes back to the queue with a fresh set of tries; 409 for any other status.
import { route } from "@/lib/auth/api";
import { actorOf } from "@/lib/auth/principal";
import { pool } from "@/lib/db/client";
import { retryDeadLetter } from "@/lib/notify/outbox";
import { deliveryIdParams } from "@/lib/notify/schemas";
import { wakeNotificationWorker } from "@/lib/notify/scheduler";

export const dynamic = "force-dynamic";

export const POST = route({ permission: "notifications.manage", params: deliveryIdParams }, async ({ params, principal }) => {
  await retryDeadLetter(pool(), params.id, actorOf(principal));
  wakeNotificationWorker();
  return Response.json({ status: "pending" });
});
