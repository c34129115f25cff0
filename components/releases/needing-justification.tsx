// The review page's panel of releases whose cost per request rose past the threshold and that still
// have no justification.
import Link from "next/link";
import { formatPct } from "@/lib/format";
import type { ReleaseCheck } from "@/lib/releases/variance";

export function ReleasesNeedingJustification({ checks }: { checks: ReleaseCheck[] }) {
  return (
    <section className="mb-4 rounded-lg border border-slate-200 bg-white px-4 py-3" aria-label="Releases needing justification" data-testid="releases-needing-justification">
      <h2 className="text-sm font-semibold">Releases needing justification</h2>
      {checks.length === 0 ? (
        <p className="mt-1 text-sm text-slate-500">No release needs a justification.</p>
      ) : (
        <ul className="mt-1 space-y-1 text-sm">
          {checks.map((c) => (
            <li key={c.release.id} data-testid="release-needing-justification" data-version={c.release.version}>
              <span className="mr-2 rounded-md bg-amber-100 px-2 py-0.5 text-xs font-medium text-amber-900">Justification required</span>
              <Link href={`/releases/${c.release.id}`} className="font-mono text-blue-700 hover:underline">
                {c.release.version}
              </Link>{" "}
              {c.release.title} · shipped {c.release.shippedAt.slice(0, 10)} ·{" "}
              <span className="num">
                {c.endpoints
                  .filter((e) => e.rose)
                  .map((e) => `${e.endpoint} mean ${formatPct(e.changePct)}`)
                  .join(", ")}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
