// What the sign-in page loads: whether this database holds the demo organisation (the page then shows
// the demo logins). An entry point, taking the app's database handle.
import { pool } from "@/lib/db/client";
import { demoSeeded } from "@/lib/demo/seed";

export async function signInPageData(): Promise<{ demo: boolean }> {
  return { demo: await demoSeeded(pool()) };
}
