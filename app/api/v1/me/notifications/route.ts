// The signed-in person's notification preferences: GET lists every kind with "email" or "none";
// PUT {preferences: {kind: "email" | "none"}} changes the kinds given (audited). People only: an API key
// has no one to notify.
import { jsonBody, route } from "@/lib/auth/api";
import { validate } from "@/lib/http/validation";
import { actorOf } from "@/lib/auth/principal";
import { pool } from "@/lib/db/client";
import { forbidden } from "@/lib/errors";
import { getPreferences, setPreferences } from "@/lib/notify/preferences";
import { preferencesSchema } from "@/lib/notify/schemas";

export const dynamic = "force-dynamic";

const PEOPLE_ONLY = "Notification preferences belong to a person: sign in (an API key has none).";

export const GET = route({ authenticated: true }, async ({ principal }) => {
  if (principal.kind !== "user") throw forbidden(PEOPLE_ONLY);
  return Response.json({ preferences: await getPreferences(pool(), principal.user.id) });
});

export const PUT = route({ authenticated: true }, async ({ req, principal }) => {
  if (principal.kind !== "user") throw forbidden(PEOPLE_ONLY);
  const body = validate(preferencesSchema, await jsonBody(req), "request body");
  return Response.json({ preferences: await setPreferences(pool(), principal.user.id, body.preferences, actorOf(principal)) });
});
