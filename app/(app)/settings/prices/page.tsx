import type { Metadata } from "next";
import { requirePage } from "@/lib/auth/session";
import { pricesPageData } from "@/lib/pricing/page-data";
import { PageHeader } from "@/components/ui/page-header";
import { SettingsTabs } from "@/components/settings/settings-tabs";
import { PricesAdmin } from "@/components/settings/prices-admin";
import { ContractsAdmin } from "@/components/settings/contracts-admin";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Prices" };

export default async function PricesPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requirePage("prices.manage", "/settings/prices");
  const history = (await searchParams).history === "1";
  const { prices, contracts } = await pricesPageData(history);
  return (
    <>
      <PageHeader
        title="Settings"
        description="The price book: USD rates per million tokens per provider and model, each in force over a date range, and the contracts that take a percentage off them. Every change is previewed, applied with its re-pricing in one step, and recorded in the audit log."
      />
      <SettingsTabs current="/settings/prices" />
      <PricesAdmin prices={prices} history={history} />
      <ContractsAdmin contracts={contracts} history={history} />
    </>
  );
}
