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
): Promise<{ release: ReleaseView; check: ReleaseCheck; history: JustificationView[]; canJustify: boolean; comparisons: EndpointComparison[] } | null> {
  const db = pool();
  const release = await getRelease(db, id);
  if (!release) return null;
  const [check] = await checkReleases(db, [release]);
  const history = await justificationHistory(db, release.id);
  const canJustify = await mayJustify(db, principal, release.id);
  const comparisons = await withQuality(db, check!.comparisons, check!.windowDays);
  return { release, check: check!, history, canJustify, comparisons };
}

/** An endpoint's releases, newest first (the endpoint page's markers). */
export async function releasesOfEndpoint(endpoint: string): Promise<ReleaseView[]> {
  return listReleases(pool(), { endpoint, limit: 1000 });
}
