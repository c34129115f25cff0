// The registered endpoints with their feature, team and owner.
import { db } from "@/lib/db/client";

export async function listEndpoints() {
  return db().endpoint.findMany({
    orderBy: [{ feature: { team: { name: "asc" } } }, { slug: "asc" }],
    select: {
      id: true,
      slug: true,
      name: true,
      description: true,
      reviewThresholdPct: true,
      feature: { select: { slug: true, name: true, team: { select: { slug: true, name: true } }, owner: { select: { name: true, email: true } } } },
    },
  });
}

export async function listCohorts() {
  return db().cohort.findMany({ orderBy: [{ kind: "asc" }, { name: "asc" }] });
}

/** One endpoint by id, with its feature, team and the feature owner's name; null when there is none. */
export async function findEndpoint(id: string) {
  return db().endpoint.findUnique({
    where: { id },
    include: { feature: { include: { team: true, owner: { select: { name: true } } } } },
  });
}

/** Slugs and names of the endpoints, by slug (for choosing endpoints in a form). */
export async function endpointNames(): Promise<{ slug: string; name: string }[]> {
  return db().endpoint.findMany({ select: { slug: true, name: true }, orderBy: { slug: "asc" } });
}

/** Slugs and names of the features, by name (for choosing features in a form). */
export async function featureNames(): Promise<{ slug: string; name: string }[]> {
  return db().feature.findMany({ select: { slug: true, name: true }, orderBy: { name: "asc" } });
}

/** The endpoint's chosen primary quality metric, or null. */
export async function primaryMetricOf(endpointId: string): Promise<string | null> {
  return (await db().qualityPrimaryMetric.findUnique({ where: { endpointId } }))?.metric ?? null;
}
