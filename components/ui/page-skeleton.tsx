// A light placeholder while a page's data loads: a header bar and a few grey rows, no spinner.
// Only for leaf segments whose page never answers 404 or 403 (my work): once a loading boundary shows,
// Next has sent the status line, so a notFound() or forbidden() below it would answer 200 instead.
export function PageSkeleton() {
  return (
    <div role="status" aria-live="polite" aria-label="Loading" className="animate-pulse">
      <div className="mb-6 border-b border-slate-200 pb-4">
        <div className="h-6 w-64 rounded bg-slate-200" />
        <div className="mt-2 h-4 w-96 max-w-full rounded bg-slate-100" />
      </div>
      <div className="space-y-3">
        {[0, 1, 2, 3, 4].map((i) => (
          <div key={i} className="h-8 rounded bg-slate-100" />
        ))}
      </div>
      <span className="sr-only">Loading…</span>
    </div>
  );
}
