// The signed-in shell: sidebar navigation for the user's role, then the page.
import Link from "next/link";
import { currentUser } from "@/lib/auth/session";
import { redirect } from "next/navigation";
import { navFor } from "@/components/shell/nav-items";
import { NavLinks } from "@/components/shell/nav-links";
import { SignOutButton } from "@/components/auth/sign-out-button";
import { inbox } from "@/lib/workflow/inbox";

export const dynamic = "force-dynamic";

export default async function AppLayout({ children }: { children: React.ReactNode }) {
  const user = await currentUser();
  // Each page checks again with its own permission; this only keeps the shell from rendering.
  if (!user) redirect("/signin");
  const nav = navFor(user.role);
  const myWork = nav.some((i) => i.badge === "myWork") ? (await inbox(user)).count : 0;
  return (
    <div className="flex min-h-screen">
      <aside className="flex w-52 print:hidden shrink-0 flex-col bg-slate-900 px-3 py-4 text-slate-100">
        <Link href="/" className="mb-6 flex items-center gap-2 px-3 text-base font-semibold tracking-tight">
          <img src="/icon.svg" alt="" width={20} height={20} />
          Cost Review
        </Link>
        <NavLinks items={nav.map(({ href, label, badge }) => ({ href, label, count: badge === "myWork" ? myWork : undefined }))} />
        <div className="mt-auto border-t border-slate-800 pt-3">
          <div className="px-3 pb-2" data-testid="current-user">
            <div className="truncate font-medium">{user.name}</div>
            <div className="truncate text-xs text-slate-400">
              {user.email} · <span data-testid="current-role">{user.role}</span>
            </div>
          </div>
          <SignOutButton />
        </div>
      </aside>
      <main className="min-w-0 flex-1 px-8 py-6 print:p-0">{children}</main>
    </div>
  );
}
