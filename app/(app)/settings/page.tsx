import type { Metadata } from "next";
import { requirePage } from "@/lib/auth/session";
import { ROLE_DESCRIPTIONS } from "@/lib/auth/permissions";
import { listUsers } from "@/lib/users/users";
import { PageHeader } from "@/components/ui/page-header";
import { SettingsTabs } from "@/components/settings/settings-tabs";
import { UsersAdmin } from "@/components/settings/users-admin";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  const me = await requirePage("users.manage", "/settings");
  const users = await listUsers();
  return (
    <>
      <PageHeader title="Settings" description="Users, roles and API keys. Every change is recorded in the audit log." />
      <SettingsTabs current="/settings" />
      <UsersAdmin users={users} currentUserId={me.id} roleDescriptions={ROLE_DESCRIPTIONS} />
    </>
  );
}
