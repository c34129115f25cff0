"use client";
// What a segment shows when rendering it failed: a plain sentence and a retry, never the stack trace
// (the server log has it, under the digest shown here so the two can be matched).
import Link from "next/link";
import { StatusPage, statusAction, statusSecondary } from "@/components/ui/status-page";

export function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <StatusPage
      title="Something went wrong"
      message={
        <>
          This page could not be shown. Try again; if it keeps failing, the server log has the details
          {error.digest ? <> (reference <code className="font-mono">{error.digest}</code>)</> : null}.
        </>
      }
    >
      <button type="button" onClick={() => reset()} className={statusAction}>
        Try again
      </button>
      <Link href="/review" className={statusSecondary}>
        Back to the review
      </Link>
    </StatusPage>
  );
}
