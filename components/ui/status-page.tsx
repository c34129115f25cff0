// The one look for whole-page states (not found, not for your role, something went wrong): a
// heading, one sentence saying what happened, and a way back.
import Link from "next/link";

export function StatusPage({ title, message, children }: { title: string; message: React.ReactNode; children?: React.ReactNode }) {
  return (
    <div className="mx-auto max-w-lg py-24 text-center">
      <h1 className="text-2xl font-semibold">{title}</h1>
      <p className="mt-2 text-slate-600">{message}</p>
      <div className="mt-6 flex justify-center gap-3">{children}</div>
    </div>
  );
}

export const statusAction = "inline-block rounded-md bg-slate-900 px-4 py-2 font-medium text-white hover:bg-slate-700";
export const statusSecondary = "inline-block rounded-md border border-slate-300 bg-white px-4 py-2 font-medium hover:bg-slate-50";

/** A not-found page for one kind of thing, linking back to the review. */
export function NotFoundPage({ what, message }: { what: string; message: string }) {
  return (
    <StatusPage title={`${what} not found`} message={message}>
      <Link href="/review" className={statusAction}>
        Back to the review
      </Link>
    </StatusPage>
  );
}
