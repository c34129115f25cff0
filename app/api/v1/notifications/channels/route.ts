// Notification channels (admins): GET lists them (secrets only as secretSet), POST adds one.
import { route } from "@/lib/auth/api";
import { actorOf } from "@/lib/auth/principal";
import { pool } from "@/lib/db/client";
import { createChannel, listChannels } from "@/lib/notify/channels";
import { channelInputSchema } from "@/lib/notify/schemas";

export const dynamic = "force-dynamic";

export const GET = route({ permission: "notifications.manage" }, async () => Response.json({ channels: await listChannels(pool()) }));

export const POST = route({ permission: "notifications.manage", body: channelInputSchema }, async ({ body, principal }) =>
  Response.json(await createChannel(pool(), body, actorOf(principal)), { status: 201 }),
);
