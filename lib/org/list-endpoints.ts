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
