import { redirect } from "next/navigation";
import { requirePage } from "@/lib/auth/session";
import { organisationTimezone } from "@/lib/settings/page-data";
import { isoLabel, lastCompleteMonday } from "@/lib/rollups/weeks";

export const dynamic = "force-dynamic";

/** The review opens on the last complete week. */
export default async function ReviewIndex() {
  await requirePage("review.read", "/review");
  redirect(`/review/${isoLabel(lastCompleteMonday(new Date(), await organisationTimezone()))}`);
}
