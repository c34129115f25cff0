// What the incidents pages load: an entry point, taking the app's database handle once per call.
import { pool } from "@/lib/db/client";
import { getIncident, listIncidents, type Incident } from "@/lib/incidents/incidents";

/** Every incident, newest first. */
export async function incidentsPageData(): Promise<Incident[]> {
  return listIncidents(pool(), {});
}

export async function incidentPageData(id: string): Promise<Incident | null> {
  return getIncident(pool(), id);
}
