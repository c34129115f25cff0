// `cost-review release`: record a release, over HTTP into a running app (--url, --key) or straight into
// the database. Re-running with the same --external-id records nothing new.
import { connect } from "@/lib/db/connect";
import { pool } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { createRelease } from "@/lib/releases/releases";
import { formatIssues, labelsOf } from "@/lib/http/validation";
import { createReleaseSchema } from "@/lib/releases/schemas";

export type ReleaseOptions = {
  version?: string;
  title?: string;
  description?: string;
  shippedAt?: string;
  endpoint?: string[];
  feature?: string[];
  author?: string;
  link?: string;
  externalId?: string;
  url?: string;
  key?: string;
};

const usage = (message: string) => new AppError("usage", 2, message);

export function releasesUrl(base: string): string {
  let url: URL;
  try {
    url = new URL(base);
  } catch {
    throw usage(`--url must be the app's address, such as http://127.0.0.1:3000 (got ${JSON.stringify(base)})`);
  }
  if (!/^https?:$/.test(url.protocol)) throw usage("--url must start with http:// or https://");
  const trimmed = url.toString().replace(/\/+$/, "");
  return /\/api\/v1\/releases$/.test(trimmed) ? trimmed : `${trimmed}/api/v1/releases`;
}

export async function releaseCommand(opts: ReleaseOptions): Promise<number> {
  const body = {
    version: opts.version,
    title: opts.title,
    description: opts.description,
    shippedAt: opts.shippedAt,
    endpoints: (opts.endpoint ?? []).flatMap((e) => e.split(",")).map((e) => e.trim()).filter(Boolean),
    features: (opts.feature ?? []).flatMap((e) => e.split(",")).map((e) => e.trim()).filter(Boolean),
    author: opts.author,
    link: opts.link,
    externalId: opts.externalId,
  };
  const key = opts.key ?? env().COST_REVIEW_API_KEY;
  if (opts.url) {
    if (!key) throw usage("--url needs an API key: pass --key KEY (an ingest key) or set COST_REVIEW_API_KEY");
    const res = await fetch(releasesUrl(opts.url), {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${key}` },
      body: JSON.stringify(body),
    });
    const json = (await res.json().catch(() => ({}))) as {
      release?: { id: string; version: string };
      created?: boolean;
      error?: { message?: string; errors?: { path: string; message: string }[] };
    };
    if (!res.ok || !json.release) {
      console.error(`error: ${json.error?.message ?? `the app answered ${res.status}`}`);
      for (const e of json.error?.errors ?? []) console.error(`  ${e.path}: ${e.message}`);
      return 1;
    }
    report(json.release, json.created === true);
    return 0;
  }
  const parsed = createReleaseSchema.safeParse(body);
  if (!parsed.success) {
    for (const e of formatIssues(parsed.error.issues, body, labelsOf(createReleaseSchema))) console.error(`error: ${e.path}: ${e.message}`);
    return 1;
  }
  const conn = await connect();
  try {
    await migrate(pool());
    const r = await createRelease(pool(), parsed.data, { label: "cli" });
    report(r.release, r.created);
    return 0;
  } finally {
    await conn.close();
  }
}

function report(r: { id: string; version: string }, created: boolean): void {
  console.log(created ? `Recorded release ${r.version} (${r.id}).` : `Release ${r.version} was already recorded (${r.id}); nothing changed.`);
}
