// The release variance check. A release whose mean cost per request on a touched endpoint rose by the
// review threshold or more (the endpoint's own threshold where set, else the organisation's) from the
// window before it to the window after it needs a written justification from the owner of the feature
// (or an admin). Too little traffic is not judged: either window with fewer requests than the review's
// minimum volume leaves that endpoint unflagged.
import type pg from "pg";
import { pool as defaultPool } from "@/lib/db/client";
import { beforeAfter, type EndpointComparison } from "@/lib/releases/before-after";
import { listReleases, type ReleaseView } from "@/lib/releases/releases";
import { releaseSettings } from "@/lib/releases/release-settings";
import { changeBetween, flagRule, hasVolume, reachesThreshold, thresholdFor } from "@/lib/review/flagging";

export type VarianceStatus = "justification_required" | "justified" | "within_threshold" | "insufficient_data";

export type EndpointVariance = {
  endpoint: string;
  thresholdPct: string;
  beforeRequests: number;
  afterRequests: number;
  beforeMean: string | null;
  afterMean: string | null;
  changePct: string | null;
  /** Both windows have at least the minimum volume. */
  enoughData: boolean;
  rose: boolean;
};

export type ReleaseCheck = {
  release: ReleaseView;
  status: VarianceStatus;
  /** Some touched endpoint's mean cost per request rose by the threshold or more. */
  costRose: boolean;
  /** Classified as a regression and it cost more: shown in red. */
  regression: boolean;
  endpoints: EndpointVariance[];
  comparisons: EndpointComparison[];
  windowDays: number;
  minRequests: number;
};

/** Whether the rise from before to after reaches the threshold: (after − before) / before × 100 ≥ threshold. */
export function roseBeyond(beforeMean: string | null, afterMean: string | null, thresholdPct: string): boolean {
  return reachesThreshold(changeBetween(beforeMean, afterMean), thresholdPct, "rise");
}

/** The variance check of the given releases (in the given order). */
export async function checkReleases(releases: ReleaseView[], db: pg.Pool = defaultPool()): Promise<ReleaseCheck[]> {
  const [review, rel] = await Promise.all([flagRule(db), releaseSettings(db)]);
  const comparisons = await beforeAfter(db, releases.map((r) => r.id), rel.windowDays);
  return releases.map((release) => {
    const comps = comparisons.get(release.id) ?? [];
    const endpoints: EndpointVariance[] = comps.map((c) => {
      const thresholdPct = thresholdFor(review, c.endpoint);
      const enoughData = hasVolume(review, c.all.before.requests) && hasVolume(review, c.all.after.requests);
      return {
        endpoint: c.endpoint,
        thresholdPct,
        beforeRequests: c.all.before.requests,
        afterRequests: c.all.after.requests,
        beforeMean: c.all.before.meanCost,
        afterMean: c.all.after.meanCost,
        changePct: c.all.meanChangePct,
        enoughData,
        rose: enoughData && roseBeyond(c.all.before.meanCost, c.all.after.meanCost, thresholdPct),
      };
    });
    const costRose = endpoints.some((e) => e.rose);
    const status: VarianceStatus = costRose
      ? release.justification
        ? "justified"
        : "justification_required"
      : endpoints.some((e) => e.enoughData)
        ? "within_threshold"
        : "insufficient_data";
    return {
      release,
      status,
      costRose,
      regression: costRose && release.justification?.class === "regression",
      endpoints,
      comparisons: comps,
      windowDays: rel.windowDays,
      minRequests: review.minRequests,
    };
  });
}

/**
 * Releases whose cost rose and that still have no justification, newest first. With a user id: only
 * those touching a feature that user owns (what lands in that user's inbox).
 */
export async function releasesNeedingJustification(userId?: string, db: pg.Pool = defaultPool()): Promise<ReleaseCheck[]> {
  let releases = (await listReleases({ limit: 1000 }, db)).filter((r) => r.justification === null);
  if (userId !== undefined) {
    const owned = await ownedEndpointsAndFeatures(db, userId);
    releases = releases.filter((r) => r.features.some((f) => owned.features.has(f)) || r.touchedEndpoints.some((e) => owned.endpoints.has(e)));
  }
  return (await checkReleases(releases, db)).filter((c) => c.status === "justification_required");
}

async function ownedEndpointsAndFeatures(db: pg.Pool | pg.PoolClient, userId: string): Promise<{ features: Set<string>; endpoints: Set<string> }> {
  const { rows } = await db.query<{ feature: string; endpoint: string | null }>(
    `SELECT f.slug AS feature, en.slug AS endpoint FROM features f LEFT JOIN endpoints en ON en.feature_id = f.id WHERE f.owner_id = $1`,
    [userId],
  );
  return { features: new Set(rows.map((r) => r.feature)), endpoints: new Set(rows.flatMap((r) => (r.endpoint ? [r.endpoint] : []))) };
}

/** Whether the user owns a feature the release touched (directly, or through one of its endpoints). */
export async function ownsRelease(db: pg.Pool | pg.PoolClient, userId: string, release: ReleaseView): Promise<boolean> {
  const owned = await ownedEndpointsAndFeatures(db, userId);
  return release.features.some((f) => owned.features.has(f)) || release.touchedEndpoints.some((e) => owned.endpoints.has(e));
}
