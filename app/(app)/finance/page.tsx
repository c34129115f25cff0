import { redirect } from "next/navigation";
import { requirePage } from "@/lib/auth/session";
import { lastCompleteMonth } from "@/lib/finance/months";
import { organisationTimezone } from "@/lib/settings/page-data";

export const dynamic = "force-dynamic";

/** Finance books the last month that has ended (in the organisation's time zone). */
export default async function FinancePage() {
  await requirePage("finance.read", "/finance");
  redirect(`/finance/${lastCompleteMonth(new Date(), await organisationTimezone())}`);
}
