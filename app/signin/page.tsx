import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { appBaseUrl, currentUser } from "@/lib/auth/session";
import { safeCallbackPath } from "@/lib/auth/callback-url";
import { landingPath } from "@/lib/auth/permissions";
import { ssoProviders } from "@/lib/auth/options";
import { SignInForm } from "@/components/auth/sign-in-form";
import { signInPageData } from "@/lib/demo/page-data";
import { DEMO_PASSWORD, generateDemoOrg } from "@/lib/demo/generate-org";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string; error?: string }> }) {
  const { callbackUrl, error } = await searchParams;
  // Only a path on this site is followed (lib/auth/callback-url.ts); anything else is ignored.
  const safe = safeCallbackPath(callbackUrl, appBaseUrl());
  // "Signed in" as every page judges it: a current session (not revoked), read from the database.
  const user = await currentUser();
  if (user) redirect(safe ?? landingPath(user.role));
  const { demo } = await signInPageData();
  return (
    <div className="flex min-h-screen items-center justify-center bg-slate-100 px-4">
      <div className="w-full max-w-sm rounded-xl border border-slate-200 bg-white p-8 shadow-sm">
        <div className="mb-6 flex items-center gap-2">
          <img src="/icon.svg" alt="" width={28} height={28} />
          <div>
            <h1 className="text-lg font-semibold">Cost Review</h1>
            <p className="text-slate-500">Cost per request, reviewed weekly</p>
          </div>
        </div>
        <SignInForm callbackUrl={safe ?? "/"} providers={ssoProviders()} initialError={error} />
        {demo ? (
          <div className="mt-6 rounded-md bg-slate-50 p-3 text-xs text-slate-600" data-testid="demo-logins">
            <p className="font-medium text-slate-800">Demo organisation: password {DEMO_PASSWORD}</p>
            <ul className="mt-1 space-y-0.5 font-mono">
              {generateDemoOrg().users.map((u) => (
                <li key={u.email}>
                  {u.email} <span className="text-slate-500">({u.role})</span>
                </li>
              ))}
            </ul>
          </div>
        ) : null}
      </div>
    </div>
  );
}
