// What the releases pages (and the endpoint page's release markers) load: an entry point, taking the
// app's database handle once per call and passing it down.
import { pool } from "@/lib/db/client";
import type { Principal } from "@/lib/auth/principal";
import { withQuality, type EndpointComparison } from "@/lib/releases/before-after";
import { justificationHistory, mayJustify } from "@/lib/releases/justifications";
import type { JustificationView } from "@/lib/releases/releases";
import { getRelease, listReleases, type ReleaseView } from "@/lib/releases/releases";
import { checkReleases, type ReleaseCheck } from "@/lib/releases/variance";
import { getSetting } from "@/lib/settings/settings";
import { releaseScenarioCheck, type ScenarioCheck } from "@/lib/releases/scenario-check";
import { listScenarios } from "@/lib/whatif/scenarios";

/** The releases list (newest first, at most 500) with each one's check, and the comparison window in force. */
export async function releasesPageData(): Promise<{ checks: ReleaseCheck[]; windowDays: number }> {
  const db = pool();
  const checks = await checkReleases(db, await listReleases(db, { limit: 500 }));
  return { checks, windowDays: checks[0]?.windowDays ?? (await getSetting(db, "releases")).windowDays };
}

/** One release, its check, its justifications, whether this principal may justify it, and its comparisons with quality. */
export async function releasePageData(
  id: string,
  principal: Principal,
): Promise<{
  release: ReleaseView;
  check: ReleaseCheck;
  history: JustificationView[];
  canJustify: boolean;
  comparisons: EndpointComparison[];
  scenarioCheck: ScenarioCheck | null;
} | null> {
  const db = pool();
  const release = await getRelease(db, id);
  if (!release) return null;
  const [check] = await checkReleases(db, [release]);
  const history = await justificationHistory(db, release.id);
  const canJustify = await mayJustify(db, principal, release.id);
  const [comparisons, scenarioCheck] = await Promise.all([withQuality(db, check!.comparisons, check!.windowDays), releaseScenarioCheck(db, release)]);
  return { release, check: check!, history, canJustify, comparisons, scenarioCheck };
}

/** An endpoint's releases, newest first (the endpoint page's markers). */
export async function releasesOfEndpoint(endpoint: string): Promise<ReleaseView[]> {
  return listReleases(pool(), { endpoint, limit: 1000 });
}

/** Saved what-if scenarios a release may name (the release form's choice), newest first. */
export async function scenarioChoices(): Promise<{ id: string; name: string; endpoint: string; candidates: string[] }[]> {
  return (await listScenarios(pool(), {})).map((s) => ({ id: s.id, name: s.name, endpoint: s.endpoint, candidates: s.scenario.candidates.map((c, i) => c.name ?? `Candidate ${i + 1}`) }));
}
