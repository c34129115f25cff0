// `cost-review gate --endpoint X --since T`: asks the running app's release gate and exits 0 when the
// release passes (also when the sample is too small to judge: a warning is printed), 1 when it fails
// or the gate could not be asked, 2 on a usage error.
import { AppError } from "@/lib/errors";
import type { GateResult } from "@/lib/releases/gate";
import { describeError, remote } from "@/cli/remote";

export type GateOptions = { endpoint?: string; since?: string; cohort?: string; minRequests?: string; url?: string; key?: string };

export async function gateCommand(opts: GateOptions): Promise<number> {
  if (!opts.endpoint) throw new AppError("usage", 2, "gate needs --endpoint SLUG");
  if (!opts.since) throw new AppError("usage", 2, "gate needs --since TIME (ISO 8601, e.g. 2026-11-20T09:00:00Z)");
  const { base, key } = remote(opts, "gate");
  const q = new URLSearchParams({ endpoint: opts.endpoint, since: opts.since });
  if (opts.cohort) q.set("cohort", opts.cohort);
  if (opts.minRequests) q.set("minRequests", opts.minRequests);
  let res: Response;
  try {
    res = await fetch(`${base}/api/v1/gate?${q}`, { headers: { Authorization: `Bearer ${key}` } });
  } catch (err) {
    console.error(`error: cannot reach ${base}: ${(err as Error).message}`);
    return 1;
  }
  const body = (await res.json().catch(() => null)) as GateResult | null;
  if (res.status !== 200 || !body) {
    console.error(`error: ${describeError(res.status, body)}`);
    return 1;
  }
  const verdict = body.status === "fail" ? "FAIL" : body.status === "inconclusive" ? "PASS (inconclusive)" : "PASS";
  console.log(`${verdict}: ${body.endpoint}${body.cohort ? ` (cohort ${body.cohort})` : ""} since ${body.since}`);
  for (const r of body.reasons) console.log(`  - ${r}`);
  console.log(
    `  requests ${body.sample.requests}; cost per request mean ${body.costPerRequest.mean ?? "-"}, p50 ${body.costPerRequest.p50 ?? "-"}, p95 ${body.costPerRequest.p95 ?? "-"}; ` +
      `ceiling ${body.ceiling ?? "none"}; latency p95 ${body.latencyP95 ?? "-"} ms, budget ${body.latencyBudget ?? "none"}`,
  );
  return body.pass ? 0 : 1;
}
