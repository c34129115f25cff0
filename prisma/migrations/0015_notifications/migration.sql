-- Notifications: where messages go (channels) and the outbox they wait in until they are delivered.
--
-- notification_channels: one SMTP server (kind 'email', at most one), Slack incoming webhooks and generic
-- webhooks. config holds what may be shown (SMTP host, port, secure, user, from; a webhook's URL); secret
-- holds what may not (the SMTP password, the Slack webhook URL, the webhook signing secret): the API only
-- says whether it is set, and the audit log never holds it. events filters which event types a channel
-- receives (empty: all of them). lib/notify/channels.ts reads and changes them.
CREATE TABLE "notification_channels" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "kind" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "config" JSONB NOT NULL DEFAULT '{}',
    "secret" TEXT,
    "events" TEXT[] NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "notification_channels_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "notification_channels_kind_check" CHECK ("kind" IN ('email', 'slack', 'webhook'))
);
CREATE UNIQUE INDEX "notification_channels_one_email" ON "notification_channels"("kind") WHERE "kind" = 'email';

-- The outbox: one row per message to one channel (and, for email, one recipient), written in the same
-- transaction as the change that caused it (lib/notify/outbox.ts enqueue). The worker in the app
-- (lib/notify/worker.ts) claims due rows with FOR UPDATE SKIP LOCKED, marks them delivering with a lease
-- (locked_until; next_attempt_at moves to the same time, so a lease that runs out makes the row due
-- again), sends, and marks them delivered; a failure waits for its back-off in pending, and the last
-- allowed try ends in dead (the dead-letter list) with its error. idempotency_key is unique: enqueueing
-- the same message twice stores it once, and the receiver sees it as the Idempotency-Key header (webhooks)
-- or in the Message-ID (email). recipient_user_id is the person a personal notification is for.
CREATE TABLE "outbox" (
    "id" BIGSERIAL NOT NULL,
    "kind" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "channel_id" UUID,
    "recipient" TEXT,
    "recipient_user_id" UUID,
    "payload" JSONB NOT NULL,
    "idempotency_key" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_error" TEXT,
    "locked_until" TIMESTAMPTZ(3),
    "claimed_by" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "delivered_at" TIMESTAMPTZ(3),

    CONSTRAINT "outbox_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "outbox_channel_check" CHECK ("channel" IN ('email', 'slack', 'webhook')),
    CONSTRAINT "outbox_status_check" CHECK ("status" IN ('pending', 'delivering', 'delivered', 'dead')),
    CONSTRAINT "outbox_email_recipient_check" CHECK ("channel" <> 'email' OR "recipient" IS NOT NULL),
    CONSTRAINT "outbox_channel_id_fkey" FOREIGN KEY ("channel_id") REFERENCES "notification_channels"("id") ON DELETE SET NULL,
    CONSTRAINT "outbox_recipient_user_id_fkey" FOREIGN KEY ("recipient_user_id") REFERENCES "users"("id") ON DELETE SET NULL
);
CREATE UNIQUE INDEX "outbox_idempotency_key_key" ON "outbox"("idempotency_key");
-- What the worker claims: undelivered rows by when they are due.
CREATE INDEX "outbox_due_idx" ON "outbox"("next_attempt_at") WHERE "status" IN ('pending', 'delivering');
-- The delivery log, newest first, and the dead-letter list.
CREATE INDEX "outbox_status_created_idx" ON "outbox"("status", "created_at");
CREATE INDEX "outbox_created_idx" ON "outbox"("created_at");
