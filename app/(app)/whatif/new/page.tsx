import type { Metadata } from "next";
import Link from "next/link";
import { requirePage } from "@/lib/auth/session";
import { savedScenarioPageData, whatifFormData } from "@/lib/whatif/page-data";
import { PageHeader } from "@/components/ui/page-header";
import { Card } from "@/components/ui/card";
import { WhatIfForm } from "@/components/whatif/whatif-form";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "What if" };

const one = (v: string | string[] | undefined) => (typeof v === "string" && v.trim() !== "" ? v.trim() : undefined);

export default async function NewWhatIfPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requirePage("review.read", "/whatif/new");
  const sp = await searchParams;
  const copy = one(sp.copy);
  const [choices, saved] = await Promise.all([
    whatifFormData({ kind: "user", user }),
    copy && /^[0-9a-f-]{36}$/i.test(copy) ? savedScenarioPageData(copy) : Promise.resolve(null),
  ]);
  const asked = one(sp.endpoint);
  const endpoint = asked && choices.endpoints.some((e) => e.slug === asked) ? asked : undefined;
  return (
    <>
      <PageHeader
        title="What if"
        description="Replay an endpoint's real requests of a past window under another model, service tier, token mix or your own GPUs, each request re-priced from its stored tokens, and compare with what the window actually cost."
        actions={
          <Link href="/whatif" className="rounded-md border border-slate-300 bg-white px-3 py-1.5 hover:bg-slate-50">
            Saved scenarios
          </Link>
        }
      />
      <Card>
        {choices.endpoints.length === 0 ? (
          <p className="text-slate-600">There are no endpoints yet, so there is no traffic to replay.</p>
        ) : (
          <WhatIfForm choices={choices} endpoint={endpoint} copyOf={saved ? { name: saved.name, scenario: saved.scenario } : undefined} />
        )}
      </Card>
    </>
  );
}
