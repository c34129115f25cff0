// The release variance check. A release whose mean cost per request on a touched endpoint rose by the
// review threshold or more (the endpoint's own threshold where set, else the organisation's) from the
// window before it to the window after it needs a written justification from the owner of the feature
// (or an admin). Too little traffic is not judged: either window with fewer requests than the review's
// minimum volume leaves that endpoint unflagged. Once a check has found that a release needs a
// justification and that was recorded (recordVariance, on every edit), it keeps needing one until it
// is justified: moving shippedAt or changing its endpoints cannot wash the verdict away.
import type pg from "pg";
import type { Db } from "@/lib/db/client";
import { beforeAfter, type EndpointComparison } from "@/lib/releases/before-after";
import { listReleases, type ReleaseView } from "@/lib/releases/releases";
import { getSetting } from "@/lib/settings/settings";
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
export async function checkReleases(db: Db, releases: ReleaseView[]): Promise<ReleaseCheck[]> {
  const [review, rel] = await Promise.all([flagRule(db), getSetting(db, "releases")]);
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
    const status: VarianceStatus = costRose || release.justificationRequiredSince !== null
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
 * Runs the variance check on the release as it stands (inside the caller's transaction) and, when it
 * needs a justification, records that, so that no later edit can turn it into "insufficient data".
 */
export async function recordVariance(c: pg.PoolClient, release: ReleaseView): Promise<ReleaseCheck> {
  const [check] = await checkReleases(c, [release]);
  if (check!.status === "justification_required" && release.justificationRequiredSince === null) {
    const { rows } = await c.query<{ at: Date }>(
      "UPDATE releases SET justification_required_at = now() WHERE id = $1 AND justification_required_at IS NULL RETURNING justification_required_at AS at",
      [release.id],
    );
    if (rows[0]) return { ...check!, release: { ...release, justificationRequiredSince: rows[0].at.toISOString() } };
  }
  return check!;
}

/**
 * Releases whose cost rose and that still have no justification, newest first. With a user id: only
 * those touching a feature that user owns (what lands in that user's inbox).
 */
export async function releasesNeedingJustification(db: Db, userId?: string): Promise<ReleaseCheck[]> {
  let releases = (await listReleases(db, { limit: 1000 })).filter((r) => r.justification === null);
  if (userId !== undefined) {
    const owned = await ownedEndpointsAndFeatures(db, userId);
    releases = releases.filter((r) => r.features.some((f) => owned.features.has(f)) || r.touchedEndpoints.some((e) => owned.endpoints.has(e)));
  }
  return (await checkReleases(db, releases)).filter((c) => c.status === "justification_required");
}

async function ownedEndpointsAndFeatures(db: pg.Pool | pg.PoolClient, userId: string): Promise<{ features: Set<string>; endpoints: Set<string> }> {
  const { rows } = await db.query<{ feature: string; endpoint: string | null }>(
    `SELECT f.slug AS feature, en.slug AS endpoint FROM features f LEFT JOIN endpoints en ON en.feature_id = f.id WHERE f.owner_id = $1`,
    [userId],
  );
  return { features: new Set(rows.map((r) => r.feature)), endpoints: new Set(rows.flatMap((r) => (r.endpoint ? [r.endpoint] : []))) };
}
