-- Sign-in security: a session version per user (raised on sign-out and on a password, role or
-- disabled change; a session token carrying an older version is refused), and the sign-in throttle
-- (failed attempts per account and per client address, kept here so that limits hold across restarts
-- and app instances).

ALTER TABLE "users" ADD COLUMN "session_version" INTEGER NOT NULL DEFAULT 0;

CREATE TABLE "sign_in_throttle" (
    -- "account:<email>" or "address:<client address>"
    "key" TEXT NOT NULL,
    -- failed attempts in the current window
    "failures" INTEGER NOT NULL DEFAULT 0,
    "window_start" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    -- lockouts so far (each doubles the next one); forgotten a day after the last lockout ended
    "lockouts" INTEGER NOT NULL DEFAULT 0,
    "locked_until" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "sign_in_throttle_pkey" PRIMARY KEY ("key")
);
CREATE INDEX "sign_in_throttle_updated_at_idx" ON "sign_in_throttle"("updated_at");
