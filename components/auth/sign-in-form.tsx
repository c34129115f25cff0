"use client";
// Email + password sign-in, and a button per configured single-sign-on provider.
import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState } from "react";

const ERRORS: Record<string, string> = {
  CredentialsSignin: "Wrong email or password.",
  AccessDenied: "This account may not sign in here. Ask an admin to add you.",
  EmailNotVerified: "Your email address is not verified with this sign-in provider. Verify it there first.",
  RateLimited: "Too many failed sign-ins. Wait a while (up to 15 minutes) and try again.",
};

export function SignInForm({ callbackUrl, providers, initialError }: {
  callbackUrl: string;
  providers: { id: string; name: string }[];
  initialError?: string;
}) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(initialError ? (ERRORS[initialError] ?? "Sign-in failed.") : null);
  const [pending, setPending] = useState(false);

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setPending(true);
    setError(null);
    const res = await signIn("credentials", {
      email: String(form.get("email") ?? ""),
      password: String(form.get("password") ?? ""),
      redirect: false,
    });
    setPending(false);
    if (!res || res.error) {
      setError(ERRORS[res?.error ?? ""] ?? ERRORS.CredentialsSignin ?? null);
      return;
    }
    router.replace(callbackUrl);
    router.refresh();
  }

  return (
    <div className="space-y-4">
      <form onSubmit={onSubmit} className="space-y-3" aria-label="Sign in">
        <label className="block">
          <span className="mb-1 block font-medium">Email</span>
          <input name="email" type="email" autoComplete="username" required className="w-full rounded-md border border-slate-300 px-3 py-2" />
        </label>
        <label className="block">
          <span className="mb-1 block font-medium">Password</span>
          <input name="password" type="password" autoComplete="current-password" required className="w-full rounded-md border border-slate-300 px-3 py-2" />
        </label>
        {error ? (
          <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-red-700">
            {error}
          </p>
        ) : null}
        <button type="submit" disabled={pending} className="w-full rounded-md bg-slate-900 px-3 py-2 font-medium text-white hover:bg-slate-700 disabled:opacity-60">
          {pending ? "Signing in…" : "Sign in"}
        </button>
      </form>
      {providers.map((p) => (
        <button
          key={p.id}
          type="button"
          onClick={() => void signIn(p.id, { callbackUrl })}
          className="w-full rounded-md border border-slate-300 bg-white px-3 py-2 font-medium hover:bg-slate-50"
        >
          Continue with {p.name}
        </button>
      ))}
    </div>
  );
}
