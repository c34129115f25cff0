import type { Metadata } from "next";
import { requirePage } from "@/lib/auth/session";
import { listApiKeys } from "@/lib/auth/api-keys";
import { PageHeader } from "@/components/ui/page-header";
import { SettingsTabs } from "@/components/settings/settings-tabs";
import { ApiKeysAdmin } from "@/components/settings/api-keys-admin";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "API keys" };

export default async function ApiKeysPage() {
  await requirePage("apikeys.manage", "/settings/api-keys");
  const keys = await listApiKeys();
  return (
    <>
      <PageHeader title="Settings" description="Services send cost events with an ingest key; an admin key can do everything an admin can." />
      <SettingsTabs current="/settings/api-keys" />
      <ApiKeysAdmin
        keys={keys.map((k) => ({
          ...k,
          createdAt: k.createdAt.toISOString(),
          lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
          revokedAt: k.revokedAt?.toISOString() ?? null,
        }))}
      />
    </>
  );
}
