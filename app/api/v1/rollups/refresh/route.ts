// POST: bring the review's rollups up to date now (admins; ?full=1 rebuilds them). The app also does this on its own every few seconds.
import { route } from "@/lib/auth/api";
import { pool } from "@/lib/db/client";
import { refreshRollups } from "@/lib/rollups/refresh-rollups";

export const dynamic = "force-dynamic";

export const POST = route({ permission: "settings.manage" }, async ({ req }) => {
  const full = new URL(req.url).searchParams.get("full") === "1";
  let result = await refreshRollups(pool(), { full });
  // The scheduler may hold the lock for a moment: wait for it rather than report stale figures.
  for (let i = 0; result.skipped && i < 50; i++) {
    await new Promise((r) => setTimeout(r, 200));
    result = await refreshRollups(pool(), { full });
  }
  return Response.json(result);
});
