// The delivery log (admins): ?status=pending|delivering|delivered|dead (dead: the dead-letter list), ?limit=.
import { route } from "@/lib/auth/api";
import { pool } from "@/lib/db/client";
import { listDeliveries } from "@/lib/notify/outbox";
import { deliveriesQuery } from "@/lib/notify/schemas";

export const dynamic = "force-dynamic";

export const GET = route({ permission: "notifications.manage", query: deliveriesQuery }, async ({ query }) =>
  Response.json({ deliveries: await listDeliveries(pool(), query) }),
);
