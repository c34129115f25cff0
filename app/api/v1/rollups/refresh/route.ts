// POST: bring the review's rollups up to date now (admins; ?full=1 rebuilds them). The app also does this on its own every few seconds.
import { z } from "zod";
import { route } from "@/lib/auth/api";
import { pool } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { refreshRollups } from "@/lib/rollups/refresh-rollups";

export const dynamic = "force-dynamic";

/** How long to wait for a refresh already running (the scheduler's, or another caller's). */
const WAIT_SECONDS = 60;

/** ?full=1 rebuilds the rollups; any other value is an ordinary refresh. */
const query = z.object({ full: z.string().optional().transform((v) => v === "1") });

export const POST = route({ permission: "settings.manage", query }, async ({ query: { full } }) => {
  // A refresh in progress may have started before the caller's latest events: wait for it, then refresh
  // again, rather than answer 200 with figures that do not include them.
  const result = await refreshRollups(pool(), { full, waitMs: WAIT_SECONDS * 1000 });
  if (result.skipped) {
    throw new AppError("busy", 503, `Another rollup refresh has been running for over ${WAIT_SECONDS} s; the figures are not up to date yet. Try again later.`, {
      retryAfter: 15,
    });
  }
  return Response.json(result);
});
