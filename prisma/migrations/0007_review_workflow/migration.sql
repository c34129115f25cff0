-- The weekly review workflow: one session per week, a movement item per flagged endpoint (or cohort)
-- with its figures frozen at opening, owners' justifications (every edit kept), comments, follow-ups
-- with one assignee each, overdue follow-ups carried into the next session, attendees and sign-off.

CREATE TABLE "review_sessions" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    -- Monday of the ISO week under review.
    "week" DATE NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open' CHECK ("status" IN ('open', 'closed')),
    -- Set when closed: 'clean' (clean bill of health) or 'follow_ups' (closed with follow-ups).
    "outcome" TEXT CHECK ("outcome" IN ('clean', 'follow_ups')),
    -- The week's headline figures and review settings at opening, never rewritten.
    "headline" JSONB NOT NULL,
    "decisions" TEXT,
    "opened_by_id" UUID,
    "opened_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "closed_by_id" UUID,
    "closed_at" TIMESTAMPTZ(3),
    CONSTRAINT "review_sessions_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "review_sessions_closed_check" CHECK (("status" = 'closed') = ("outcome" IS NOT NULL)),
    CONSTRAINT "review_sessions_opened_by_id_fkey" FOREIGN KEY ("opened_by_id") REFERENCES "users"("id") ON DELETE SET NULL,
    CONSTRAINT "review_sessions_closed_by_id_fkey" FOREIGN KEY ("closed_by_id") REFERENCES "users"("id") ON DELETE SET NULL
);
CREATE UNIQUE INDEX "review_sessions_week_key" ON "review_sessions"("week");

CREATE TABLE "review_session_attendees" (
    "session_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    CONSTRAINT "review_session_attendees_pkey" PRIMARY KEY ("session_id", "user_id"),
    CONSTRAINT "review_session_attendees_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "review_sessions"("id") ON DELETE CASCADE,
    CONSTRAINT "review_session_attendees_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE
);

CREATE TABLE "review_items" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "session_id" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    -- The endpoint tag ('(unattributed)' for events without one) and, for a cohort-specific move, the cohort.
    "endpoint" TEXT NOT NULL,
    "cohort" TEXT,
    "endpoint_id" UUID,
    -- Frozen at opening: the figures, the mix/rate explanation and the linked releases.
    "figures" JSONB NOT NULL,
    "explanation" JSONB,
    "releases" JSONB NOT NULL DEFAULT '[]',
    "justification" TEXT,
    "justification_class" TEXT,
    "justified_by_id" UUID,
    "justified_at" TIMESTAMPTZ(3),
    "accepted_reason" TEXT,
    "accepted_by_id" UUID,
    "accepted_at" TIMESTAMPTZ(3),
    CONSTRAINT "review_items_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "review_items_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "review_sessions"("id") ON DELETE CASCADE,
    CONSTRAINT "review_items_endpoint_id_fkey" FOREIGN KEY ("endpoint_id") REFERENCES "endpoints"("id") ON DELETE SET NULL,
    CONSTRAINT "review_items_justified_by_id_fkey" FOREIGN KEY ("justified_by_id") REFERENCES "users"("id") ON DELETE SET NULL,
    CONSTRAINT "review_items_accepted_by_id_fkey" FOREIGN KEY ("accepted_by_id") REFERENCES "users"("id") ON DELETE SET NULL
);
CREATE UNIQUE INDEX "review_items_session_endpoint_cohort_key" ON "review_items"("session_id", "endpoint", COALESCE("cohort", ''));

-- Every version of every justification, newest last.
CREATE TABLE "review_item_justifications" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "item_id" UUID NOT NULL,
    "body" TEXT NOT NULL,
    "justification_class" TEXT NOT NULL,
    "author_id" UUID,
    "author_label" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "review_item_justifications_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "review_item_justifications_item_id_fkey" FOREIGN KEY ("item_id") REFERENCES "review_items"("id") ON DELETE CASCADE,
    CONSTRAINT "review_item_justifications_author_id_fkey" FOREIGN KEY ("author_id") REFERENCES "users"("id") ON DELETE SET NULL
);
CREATE INDEX "review_item_justifications_item_id_idx" ON "review_item_justifications"("item_id", "created_at");

CREATE TABLE "review_item_comments" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "item_id" UUID NOT NULL,
    "body" TEXT NOT NULL,
    "author_id" UUID,
    "author_label" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "review_item_comments_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "review_item_comments_item_id_fkey" FOREIGN KEY ("item_id") REFERENCES "review_items"("id") ON DELETE CASCADE,
    CONSTRAINT "review_item_comments_author_id_fkey" FOREIGN KEY ("author_id") REFERENCES "users"("id") ON DELETE SET NULL
);
CREATE INDEX "review_item_comments_item_id_idx" ON "review_item_comments"("item_id", "created_at");

CREATE TABLE "follow_ups" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "session_id" UUID NOT NULL,
    "item_id" UUID,
    "title" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "assignee_id" UUID NOT NULL,
    "due_date" DATE NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open' CHECK ("status" IN ('open', 'done', 'wont_do')),
    "created_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completed_at" TIMESTAMPTZ(3),
    CONSTRAINT "follow_ups_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "follow_ups_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "review_sessions"("id") ON DELETE CASCADE,
    CONSTRAINT "follow_ups_item_id_fkey" FOREIGN KEY ("item_id") REFERENCES "review_items"("id") ON DELETE SET NULL,
    CONSTRAINT "follow_ups_assignee_id_fkey" FOREIGN KEY ("assignee_id") REFERENCES "users"("id") ON DELETE RESTRICT,
    CONSTRAINT "follow_ups_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "users"("id") ON DELETE SET NULL
);
CREATE INDEX "follow_ups_assignee_id_idx" ON "follow_ups"("assignee_id", "status", "due_date");
CREATE INDEX "follow_ups_session_id_idx" ON "follow_ups"("session_id");

-- Open follow-ups that were overdue when a later week's session opened: linked to it once.
CREATE TABLE "review_session_carryovers" (
    "session_id" UUID NOT NULL,
    "follow_up_id" UUID NOT NULL,
    "carried_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "review_session_carryovers_pkey" PRIMARY KEY ("session_id", "follow_up_id"),
    CONSTRAINT "review_session_carryovers_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "review_sessions"("id") ON DELETE CASCADE,
    CONSTRAINT "review_session_carryovers_follow_up_id_fkey" FOREIGN KEY ("follow_up_id") REFERENCES "follow_ups"("id") ON DELETE CASCADE
);
