// Notifications: the event catalogue, the channels' input (Settings → Notifications and its API), the
// delivery settings, and the delivery log's query. Secrets (SMTP password, Slack webhook URL, webhook
// signing secret) are input only: omitted on an update, the stored one is kept.
import { z } from "zod";
import { labelled } from "@/lib/http/validation";
import { serialParam, uuidField, uuidParam } from "@/lib/http/params";

export const CHANNEL_KINDS = ["email", "slack", "webhook"] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

export const DELIVERY_STATUSES = ["pending", "delivering", "delivered", "dead"] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/**
 * The event catalogue: every event type a channel can receive (a webhook's `Cost-Review-Event` header and
 * its body's `type`). README.md lists them with an example payload each.
 */
export const EVENT_TYPES = {
  "notification.test": "A test message an admin sent from Settings → Notifications",
  "review.digest": "The weekly digest: headline figures, flagged endpoints with why they moved, releases to justify, follow-ups, incidents, coverage",
  "followup.assigned": "A follow-up is assigned to you",
  "followup.changed": "A follow-up assigned to you changed (status, title, description or due date)",
  "followup.due_tomorrow": "A follow-up of yours is due tomorrow",
  "followup.overdue": "A follow-up of yours is overdue",
  "justification.requested": "A review item or a release on your feature awaits your justification",
  "incident.opened": "A cost incident opened on an endpoint of yours",
  "session.signed_off": "A review session you attended was signed off (with the minutes)",
  "comment.mention": "Someone mentioned you in a comment on a review item",
  "budget.breach": "A budget you own is forecast to be missed this month",
} as const;
export type EventType = keyof typeof EVENT_TYPES;
const eventTypeNames = Object.keys(EVENT_TYPES) as [EventType, ...EventType[]];

/** An http(s) URL (a webhook's target): anything else is a 400. */
export const httpUrl = z
  .string()
  .trim()
  .max(2000)
  .refine((v) => {
    try {
      const u = new URL(v);
      return (u.protocol === "http:" || u.protocol === "https:") && u.hostname !== "";
    } catch {
      return false;
    }
  }, "must be an http:// or https:// URL");

/** "ops@example.com" or "Cost Review <ops@example.com>". */
const EMAIL = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;
export const emailAddress = z.string().trim().max(320).regex(EMAIL, "must be an email address such as ops@example.com");
const fromAddress = z
  .string()
  .trim()
  .max(400)
  .refine((v) => EMAIL.test(v) || /^[^<>]{0,200}<[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+>$/.test(v), 'must be an address such as "Cost Review <review@example.com>"');

const name = z.string().trim().min(1).max(100);
const enabled = z.boolean().optional();
const events = z.array(z.enum(eventTypeNames)).max(50).optional();

const emailChannel = z
  .object({
    kind: z.literal("email"),
    name: name.optional(),
    enabled,
    host: z.string().trim().min(1).max(255).regex(/^[A-Za-z0-9.:[\]-]+$/, "must be a host name or address"),
    port: z.number().int().min(1).max(65535),
    /** TLS from the start (port 465); false: STARTTLS when the server offers it. */
    secure: z.boolean(),
    user: z.string().trim().max(320).nullable().optional(),
    /** Write-only: omitted keeps the stored one, null clears it. */
    password: z.string().min(1).max(1000).nullable().optional(),
    from: fromAddress,
  })
  .strict();

const slackChannel = z
  .object({
    kind: z.literal("slack"),
    name,
    enabled,
    /** The incoming-webhook URL (a secret: write-only; omitted keeps the stored one). */
    url: httpUrl.optional(),
    events,
  })
  .strict();

const webhookChannel = z
  .object({
    kind: z.literal("webhook"),
    name,
    enabled,
    url: httpUrl,
    /** The signing secret (write-only; omitted keeps the stored one). */
    secret: z.string().min(16, "must be at least 16 characters").max(1000).optional(),
    events,
  })
  .strict();

const CHANNEL_LABELS = {
  kind: "Channel",
  name: "Name",
  host: "SMTP host",
  port: "Port",
  secure: "TLS",
  user: "User name",
  password: "Password",
  from: "From",
  url: "URL",
  secret: "Signing secret",
  events: "Events",
};

/** POST /api/v1/notifications/channels and PUT …/channels/[id]: one channel, by kind. */
export const channelInputSchema = labelled(z.discriminatedUnion("kind", [emailChannel, slackChannel, webhookChannel]), {
  what: "notification channel",
  labels: CHANNEL_LABELS,
  choices: { kind: { email: "Email (SMTP)", slack: "Slack", webhook: "Webhook" } },
});
export type ChannelInput = z.output<typeof channelInputSchema>;

/** POST /api/v1/notifications/test: send a test message through a channel (email: to this address). */
export const testMessageSchema = labelled(
  z
    .object({
      channelId: uuidField("pick a channel"),
      to: emailAddress.optional(),
    })
    .strict(),
  { what: "test message", labels: { channelId: "Channel", to: "Send to" } },
);

/** How deliveries are retried (the setting "notifications.delivery"). */
export type DeliverySettings = { maxAttempts: number; backoffBaseSeconds: number; backoffMaxSeconds: number };
export const DEFAULT_DELIVERY: DeliverySettings = { maxAttempts: 8, backoffBaseSeconds: 30, backoffMaxSeconds: 3600 };

export const deliverySettingsValue = z
  .object({
    maxAttempts: z.number().int("must be a whole number").min(1, "must be at least 1").max(50, "must be at most 50"),
    backoffBaseSeconds: z.number().int("must be whole seconds").min(1, "must be at least 1").max(86_400),
    backoffMaxSeconds: z.number().int("must be whole seconds").min(1, "must be at least 1").max(7 * 86_400),
  })
  .strict()
  .refine((v) => v.backoffMaxSeconds >= v.backoffBaseSeconds, { path: ["backoffMaxSeconds"], message: "must not be below the first wait" });

/** PUT /api/v1/settings/notifications. */
export const deliverySettingsSchema = labelled(deliverySettingsValue, {
  what: "delivery settings",
  plural: true,
  labels: { maxAttempts: "Tries before giving up", backoffBaseSeconds: "First retry after (seconds)", backoffMaxSeconds: "Longest wait (seconds)" },
});

/** GET /api/v1/notifications/deliveries?status=&limit= */
export const deliveriesQuery = z
  .object({
    status: z.enum(DELIVERY_STATUSES).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .strict();

/** /api/v1/notifications/channels/[id] */
export const channelIdParams = { id: uuidParam("Notification channel") };
/** /api/v1/notifications/deliveries/[id]/retry */
export const deliveryIdParams = { id: serialParam("Delivery") };

/** ISO weekdays (1 = Monday … 7 = Sunday), as the digest's day setting stores them. */
export const WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"] as const;

/**
 * When the weekly digest goes out (the setting "notifications.digest"), in the organisation's time zone:
 * an ISO weekday (1 = Monday) and an hour. It covers the last complete week at that moment.
 */
export type DigestSettings = { enabled: boolean; day: number; hour: number };
/** Monday 08:00: the morning after the week it covers closes (nothing in the app fixes the review's own day). */
export const DEFAULT_DIGEST: DigestSettings = { enabled: true, day: 1, hour: 8 };

export const digestSettingsValue = z
  .object({
    enabled: z.boolean(),
    day: z.number().int("must be a weekday number").min(1, "must be 1 (Monday) to 7 (Sunday)").max(7, "must be 1 (Monday) to 7 (Sunday)"),
    hour: z.number().int("must be a whole hour").min(0, "must be 0 to 23").max(23, "must be 0 to 23"),
  })
  .strict();

/** PUT /api/v1/settings/notifications/digest. */
export const digestSettingsSchema = labelled(digestSettingsValue, {
  what: "digest schedule",
  labels: { enabled: "Send the weekly digest", day: "Day", hour: "Hour" },
});

/** What each person chooses per kind (GET/PUT /api/v1/me/notifications): email, or none. */
export const PERSONAL_KINDS = [
  "review.digest",
  "followup.assigned",
  "followup.changed",
  "followup.due_tomorrow",
  "followup.overdue",
  "justification.requested",
  "incident.opened",
  "session.signed_off",
  "comment.mention",
  "budget.breach",
] as const satisfies readonly EventType[];
export type PersonalKind = (typeof PERSONAL_KINDS)[number];
export const PREFERENCE_CHANNELS = ["email", "none"] as const;
export type PreferenceChannel = (typeof PREFERENCE_CHANNELS)[number];

/** PUT /api/v1/me/notifications: {preferences: {kind: "email" | "none"}} (the kinds given change, others stay). */
export const preferencesSchema = labelled(
  z
    .object({
      preferences: z.partialRecord(z.enum(PERSONAL_KINDS), z.enum(PREFERENCE_CHANNELS, "must be email or none")),
    })
    .strict(),
  { what: "notification preferences", plural: true, labels: { preferences: "Preferences" } },
);

/** An unsubscribe link's query: the person, the kind and the signature. */
export const unsubscribeQuery = z
  .object({
    u: z.uuid("not a valid unsubscribe link"),
    k: z.enum(PERSONAL_KINDS, "not a valid unsubscribe link"),
    t: z.string().regex(/^[A-Za-z0-9_-]{20,100}$/, "not a valid unsubscribe link"),
  })
  .strict();
