// One release: GET with its before/after comparison and justification history; PATCH changes it.
import { jsonBody, route } from "@/lib/auth/api";
import { getReleaseDetail, patchRelease } from "@/lib/releases/api";

export const dynamic = "force-dynamic";

export const GET = route({ permission: "review.read" }, async ({ params }) => getReleaseDetail(params.id));

export const PATCH = route({ authenticated: true }, async ({ req, principal, params }) => patchRelease(params.id, await jsonBody(req), principal));
