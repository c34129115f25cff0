import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { requirePage } from "@/lib/auth/session";
import { formatUtc } from "@/lib/format";
import { savedScenarioPageData } from "@/lib/whatif/page-data";
import { PageHeader } from "@/components/ui/page-header";
import { Card } from "@/components/ui/card";
import { WhatIfComparison } from "@/components/whatif/comparison";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "What if scenario" };

const button = "rounded-md border border-slate-300 bg-white px-3 py-1.5 hover:bg-slate-50";

export default async function SavedWhatIfPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  await requirePage("review.read", `/whatif/${id}`);
  const uuid = z.uuid().safeParse(id);
  if (!uuid.success) notFound();
  const s = await savedScenarioPageData(uuid.data);
  if (!s) {
    return (
      <>
        <PageHeader
          title="What if scenario"
          actions={
            <Link href="/whatif" className={button}>
              Saved scenarios
            </Link>
          }
        />
        <Card>
          <p className="text-slate-600" data-testid="scenario-missing">
            There is no saved scenario with this id (or its endpoint is gone).
          </p>
        </Card>
      </>
    );
  }
  return (
    <>
      <PageHeader
        title={s.name}
        description={`Saved by ${s.createdBy} on ${formatUtc(s.createdAt)} UTC. Answered now, against the traffic and the price book as they are today.`}
        actions={
          <>
            <Link href={`/whatif/new?copy=${s.id}`} className={button}>
              Change a copy
            </Link>
            <Link href="/whatif" className={button}>
              Saved scenarios
            </Link>
          </>
        }
      />
      <Card>
        <WhatIfComparison result={s.result} />
      </Card>
    </>
  );
}
