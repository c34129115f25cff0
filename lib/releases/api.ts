// What the release routes do, so the route files stay thin: parse, authorize, call lib/releases.
import { z } from "zod";
import { can, describe, type Principal } from "@/lib/auth/principal";
import { badRequest, fieldErrors, forbidden, notFound } from "@/lib/errors";
import { pool } from "@/lib/db/client";
import { createRelease, getRelease, listReleases } from "@/lib/releases/releases";
import { editRelease } from "@/lib/releases/edit";
import { createReleaseSchema, justificationSchema, listReleasesSchema, updateReleaseSchema } from "@/lib/releases/schemas";
import { checkReleases } from "@/lib/releases/variance";
import { justificationHistory, justifyRelease } from "@/lib/releases/justifications";
import { actorOf } from "@/lib/auth/principal";

/** Recording releases: deploy pipelines (ingest or admin keys), admins and feature owners. */
export function assertMayRecord(principal: Principal): void {
  if (!can(principal, "events.ingest") && !can(principal, "review.write")) {
    throw forbidden(`Recording a release needs an ingest or admin API key, or the admin or owner role; ${describe(principal)} may not.`);
  }
}

function releaseId(id: string | undefined): string {
  const parsed = z.uuid().safeParse(id);
  if (!parsed.success) throw notFound("Release");
  return parsed.data;
}

export async function postRelease(body: unknown, principal: Principal): Promise<Response> {
  assertMayRecord(principal);
  const parsed = createReleaseSchema.safeParse(body);
  if (!parsed.success) throw badRequest("The release is not valid.", fieldErrors(parsed.error.issues));
  const { release, created } = await createRelease(parsed.data, { ...actorOf(principal), keyId: principal.kind === "apikey" ? principal.key.id : null });
  return Response.json({ release, created }, { status: created ? 201 : 200 });
}

export async function getReleases(url: string): Promise<Response> {
  const params = Object.fromEntries(new URL(url).searchParams);
  const parsed = listReleasesSchema.safeParse(params);
  if (!parsed.success) throw badRequest("The filters are not valid.", fieldErrors(parsed.error.issues));
  const checks = await checkReleases(await listReleases(parsed.data));
  return Response.json({
    releases: checks.map((c) => ({ ...c.release, status: c.status, costRose: c.costRose, regression: c.regression, variance: c.endpoints })),
  });
}

export async function getReleaseDetail(id: string | undefined): Promise<Response> {
  const release = await getRelease(releaseId(id));
  if (!release) throw notFound("Release");
  const [check] = await checkReleases([release]);
  return Response.json({
    release,
    status: check!.status,
    costRose: check!.costRose,
    regression: check!.regression,
    windowDays: check!.windowDays,
    minRequests: check!.minRequests,
    variance: check!.endpoints,
    beforeAfter: check!.comparisons,
    justifications: await justificationHistory(release.id, pool()),
  });
}

export async function patchRelease(id: string | undefined, body: unknown, principal: Principal): Promise<Response> {
  assertMayRecord(principal);
  const parsed = updateReleaseSchema.safeParse(body);
  if (!parsed.success) throw badRequest("The change is not valid.", fieldErrors(parsed.error.issues));
  const check = await editRelease(releaseId(id), parsed.data, principal);
  return Response.json({ release: check.release, status: check.status, costRose: check.costRose, regression: check.regression, variance: check.endpoints });
}

export async function postJustification(id: string | undefined, body: unknown, principal: Principal): Promise<Response> {
  const parsed = justificationSchema.safeParse(body);
  if (!parsed.success) throw badRequest("The justification is not valid.", fieldErrors(parsed.error.issues));
  const justification = await justifyRelease(releaseId(id), parsed.data, principal);
  return Response.json({ justification }, { status: 201 });
}
