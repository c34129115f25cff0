-- Personal notifications: what each person wants, per kind, and who a comment mentions.
--
-- notification_preferences: one row per person and notification kind they changed (no row: email, the
-- default). channel 'none' stops that kind for that person; lib/notify/personal.ts reads it before it
-- enqueues, and the unsubscribe link in every email writes 'none' for its person and kind.
CREATE TABLE "notification_preferences" (
    "user_id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "notification_preferences_pkey" PRIMARY KEY ("user_id", "kind"),
    CONSTRAINT "notification_preferences_channel_check" CHECK ("channel" IN ('email', 'none')),
    CONSTRAINT "notification_preferences_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE
);

-- @mentions: the people a comment on a review item mentions, picked from the list of users (their ids,
-- not only their names in the text). Each is notified when the comment is written.
ALTER TABLE "review_item_comments" ADD COLUMN "mentions" UUID[] NOT NULL DEFAULT '{}';
