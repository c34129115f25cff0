"use client";
// Opens (or joins) the week's review session and goes to its workspace.
import { useRouter } from "next/navigation";
import { useApiForm } from "@/components/ui/use-api-form";

export function OpenSessionButton({ week }: { week: string }) {
  const router = useRouter();
  const { pending: busy, error, submit } = useApiForm(undefined, { showsFieldErrors: false });
  async function open() {
    const r = await submit<{ session: { week: string } }>("/api/v1/review-sessions", "POST", { week }, { refresh: false });
    if (r.ok) router.push(`/review/${r.data.session.week}/session`);
  }
  return (
    <span className="inline-flex items-center gap-2">
      <button type="button" onClick={open} disabled={busy} className="rounded-md bg-slate-900 px-3 py-1.5 font-medium text-white hover:bg-slate-700 disabled:opacity-50">
        {busy ? "Opening…" : "Open review session"}
      </button>
      {error ? <span role="alert" className="text-red-700">{error}</span> : null}
    </span>
  );
}
