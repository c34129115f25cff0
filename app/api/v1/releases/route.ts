// Releases: GET lists them with their variance status (review readers; filters endpoint, feature, from,
// to); POST records one (ingest or admin keys, admins, owners), idempotent on externalId.
import { jsonBody, route } from "@/lib/auth/api";
import { getReleases, postRelease } from "@/lib/releases/api";

export const dynamic = "force-dynamic";

export const GET = route({ permission: "review.read" }, async ({ req }) => getReleases(req.url));

export const POST = route({ authenticated: true }, async ({ req, principal }) => postRelease(await jsonBody(req), principal));
