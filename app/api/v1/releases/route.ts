// Releases: GET lists them with their variance status (review readers; filters endpoint, feature, from,
// to); POST records one (ingest or admin keys, admins, owners), idempotent on externalId.
import { route } from "@/lib/auth/api";
import { actorOf } from "@/lib/auth/principal";
import { createRelease, listReleases } from "@/lib/releases/releases";
import { createReleaseSchema, listReleasesSchema, RECORD_RELEASE } from "@/lib/releases/schemas";
import { checkReleases } from "@/lib/releases/variance";
import { pool } from "@/lib/db/client";

export const dynamic = "force-dynamic";

export const GET = route({ permission: "review.read", query: listReleasesSchema }, async ({ query }) => {
  const checks = await checkReleases(pool(), await listReleases(pool(), query));
  return Response.json({
    releases: checks.map((c) => ({ ...c.release, status: c.status, costRose: c.costRose, regression: c.regression, variance: c.endpoints })),
  });
});

export const POST = route({ ...RECORD_RELEASE, body: createReleaseSchema }, async ({ body, principal }) => {
  const { release, created } = await createRelease(pool(), body, { ...actorOf(principal), keyId: principal.kind === "apikey" ? principal.key.id : null });
  return Response.json({ release, created }, { status: created ? 201 : 200 });
});
