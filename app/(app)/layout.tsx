// The signed-in shell (components/shell/app-shell.tsx): navigation for the user's role, then the page.
import { currentUser } from "@/lib/auth/session";
import { redirect } from "next/navigation";
import { navFor } from "@/components/shell/nav-items";
import { NavLinks } from "@/components/shell/nav-links";
import { AppShell } from "@/components/shell/app-shell";
import { SignOutButton } from "@/components/auth/sign-out-button";
import { myWork as myWorkOf } from "@/lib/review/page-data";

export const dynamic = "force-dynamic";

export default async function AppLayout({ children }: { children: React.ReactNode }) {
  const user = await currentUser();
  // Each page checks again with its own permission; this only keeps the shell from rendering.
  if (!user) redirect("/signin");
  const nav = navFor(user.role);
  const myWork = nav.some((i) => i.badge === "myWork") ? (await myWorkOf(user)).count : 0;
  return (
    <AppShell
      nav={<NavLinks items={nav.map(({ href, label, badge }) => ({ href, label, count: badge === "myWork" ? myWork : undefined }))} />}
      account={
        <>
          <div className="px-3 pb-2" data-testid="current-user">
            <div className="truncate font-medium">{user.name}</div>
            <div className="truncate text-xs text-slate-400">
              {user.email} · <span data-testid="current-role">{user.role}</span>
            </div>
          </div>
          <SignOutButton />
        </>
      }
    >
      {children}
    </AppShell>
  );
}
