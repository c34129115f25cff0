// What the settings pages, and the pages that redirect to the latest complete week or month, load: an
// entry point, taking the app's database handle once per call.
import { pool } from "@/lib/db/client";
import { getSetting } from "@/lib/settings/settings";
import { getReviewSettings, type ReviewSettingsView } from "@/lib/review/review-settings";

/** The organisation's time zone (it defines weeks and months). */
export async function organisationTimezone(): Promise<string> {
  return getSetting(pool(), "timezone");
}

export async function reviewSettingsPageData(): Promise<ReviewSettingsView> {
  return getReviewSettings(pool());
}
