// One notification channel (admins): PUT replaces its settings (a secret left out is kept), DELETE removes it.
import { route } from "@/lib/auth/api";
import { actorOf } from "@/lib/auth/principal";
import { pool } from "@/lib/db/client";
import { deleteChannel, updateChannel } from "@/lib/notify/channels";
import { channelIdParams, channelInputSchema } from "@/lib/notify/schemas";

export const dynamic = "force-dynamic";

export const PUT = route({ permission: "notifications.manage", params: channelIdParams, body: channelInputSchema }, async ({ body, params, principal }) =>
  Response.json(await updateChannel(pool(), params.id, body, actorOf(principal))),
);

export const DELETE = route({ permission: "notifications.manage", params: channelIdParams }, async ({ params, principal }) => {
  await deleteChannel(pool(), params.id, actorOf(principal));
  return Response.json({ deleted: true });
});
