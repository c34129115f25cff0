import { redirect } from "next/navigation";
import { requirePage } from "@/lib/auth/session";
import { lastCompleteMonth } from "@/lib/finance/months";
import { organisationTimezone } from "@/lib/settings/page-data";

export const dynamic = "force-dynamic";

/** Customers and margin open on the last month that has ended (in the organisation's time zone), like finance. */
export default async function CustomersPage() {
  await requirePage("finance.read", "/customers");
  redirect(`/customers/${lastCompleteMonth(new Date(), await organisationTimezone())}`);
}
