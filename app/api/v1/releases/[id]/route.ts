// One release: GET with its before/after comparison, justification history and, when it names a what-if
// scenario, the projection against the actual after shipping; PATCH changes it.
import { route } from "@/lib/auth/api";
import { pool } from "@/lib/db/client";
import { notFound } from "@/lib/errors";
import { editRelease } from "@/lib/releases/edit";
import { justificationHistory } from "@/lib/releases/justifications";
import { getRelease } from "@/lib/releases/releases";
import { RECORD_RELEASE, releaseIdParams, updateReleaseSchema } from "@/lib/releases/schemas";
import { checkReleases } from "@/lib/releases/variance";
import { releaseScenarioCheck } from "@/lib/releases/scenario-check";

export const dynamic = "force-dynamic";

export const GET = route({ permission: "review.read", params: releaseIdParams }, async ({ params }) => {
  const release = await getRelease(pool(), params.id);
  if (!release) throw notFound("Release");
  const [check] = await checkReleases(pool(), [release]);
  return Response.json({
    release,
    status: check!.status,
    costRose: check!.costRose,
    regression: check!.regression,
    windowDays: check!.windowDays,
    minRequests: check!.minRequests,
    variance: check!.endpoints,
    beforeAfter: check!.comparisons,
    justifications: await justificationHistory(pool(), release.id),
    scenarioCheck: await releaseScenarioCheck(pool(), release),
  });
});

export const PATCH = route({ ...RECORD_RELEASE, params: releaseIdParams, body: updateReleaseSchema }, async ({ params, body, principal }) => {
  const check = await editRelease(pool(), params.id, body, principal);
  return Response.json({ release: check.release, status: check.status, costRose: check.costRose, regression: check.regression, variance: check.endpoints });
});
