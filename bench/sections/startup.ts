// First impressions: a new user's first start on the embedded database (`npm start` without the build:
// migrations, the demo seed and its rollups), then the first requests a person makes, each against the
// same request made again once the server is warm. The first page after a start used to wait seconds
// behind the rollup refresh that followed the demo seed; the ratios show whether it still does.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { DEMO_PASSWORD } from "@/lib/demo/generate-org";
import { startServer } from "../../tests/support/server";
import { freePort } from "../../tests/support/ingest";
import { signIn, type Session } from "../../tests/support/http";
import { summarise } from "../lib/stats";
import type { Metric, Ratio, Section } from "../lib/section";

const WARM_RUNS = 15;

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const s = performance.now();
  const value = await fn();
  return { ms: performance.now() - s, value };
}

/** GET a page as the browser would: follow the redirect (/review → /review/<week>), read the whole body. */
async function page(who: Session, p: string): Promise<number> {
  let res = await who.fetch(p);
  for (let hops = 0; res.status >= 300 && res.status < 400 && hops < 3; hops++) {
    await res.arrayBuffer();
    res = await who.fetch(new URL(res.headers.get("location")!, "http://x").pathname);
  }
  if (res.status !== 200) throw new Error(`${p} answered ${res.status}`);
  await res.arrayBuffer();
  return res.status;
}

export const startupSection: Section = {
  id: "startup",
  title: "First start on the embedded database, and the first requests after it",
  async run(ctx) {
    const dir = mkdtempSync(path.join(os.tmpdir(), "cost-review-bench-start-"));
    const port = await freePort();
    const t0 = performance.now();
    ctx.log("startup: first start on a fresh embedded data folder (migrations, demo seed, rollups)");
    const server = await startServer({ databaseUrl: null, port, env: { COST_REVIEW_DATA_DIR: dir, COST_REVIEW_DEMO: "auto" } });
    const startS = (performance.now() - t0) / 1000;
    try {
      const base = server.url;
      const firstSignInPage = await timed(() => fetch(`${base}/signin`).then((r) => r.arrayBuffer()));
      const firstSignIn = await timed(() => signIn(base, "admin@example.com", DEMO_PASSWORD));
      const admin = firstSignIn.value;
      const firstReview = await timed(() => page(admin, "/review"));
      const firstFinance = await timed(() => page(admin, "/finance"));

      const warmSignInPage: number[] = [];
      const warmSignIn: number[] = [];
      const warmReview: number[] = [];
      for (let i = 0; i < WARM_RUNS; i++) {
        warmSignInPage.push((await timed(() => fetch(`${base}/signin`).then((r) => r.arrayBuffer()))).ms);
        const s = await timed(() => signIn(base, "admin@example.com", DEMO_PASSWORD));
        warmSignIn.push(s.ms);
        warmReview.push((await timed(() => page(s.value, "/review"))).ms);
      }
      const wPage = summarise(warmSignInPage);
      const wSignIn = summarise(warmSignIn);
      const wReview = summarise(warmReview);
      const metrics: Metric[] = [
        { label: "first start to ready (migrate, seed, rollups)", value: startS, unit: "s" },
        { label: "first GET /signin after start", value: firstSignInPage.ms, unit: "ms", detail: `warm p50 ${wPage.p50Ms.toFixed(0)} ms` },
        { label: "first sign-in (password hash included)", value: firstSignIn.ms, unit: "ms", detail: `warm p50 ${wSignIn.p50Ms.toFixed(0)} ms` },
        { label: "first /review after sign-in (redirect + page)", value: firstReview.ms, unit: "ms", detail: `warm p50 ${wReview.p50Ms.toFixed(0)} ms, p95 ${wReview.p95Ms.toFixed(0)} ms` },
        { label: "first /finance after it", value: firstFinance.ms, unit: "ms" },
      ];
      const ratios: Ratio[] = [
        { label: "first /review after start ÷ warm /review p50", measured: `${firstReview.ms.toFixed(0)} ms`, baseline: `${wReview.p50Ms.toFixed(0)} ms`, value: firstReview.ms / wReview.p50Ms, target: { max: 4 } },
        {
          label: "first sign-in page + sign-in + /review ÷ the same warm",
          measured: `${(firstSignInPage.ms + firstSignIn.ms + firstReview.ms).toFixed(0)} ms`,
          baseline: `${(wPage.p50Ms + wSignIn.p50Ms + wReview.p50Ms).toFixed(0)} ms`,
          value: (firstSignInPage.ms + firstSignIn.ms + firstReview.ms) / (wPage.p50Ms + wSignIn.p50Ms + wReview.p50Ms),
          target: { max: 3 },
        },
      ];
      return {
        id: "startup",
        title: this.title,
        metrics,
        ratios,
        notes: [
          "The app runs as `npm start` runs it (embedded PGlite in the launcher's process, demo seeded on first start); the first requests pay for loading the route's code once.",
          "Warm figures: the same requests repeated afterwards (a new sign-in each time), median of " + WARM_RUNS + ".",
        ],
        data: { startS, first: { signInPage: firstSignInPage.ms, signIn: firstSignIn.ms, review: firstReview.ms, finance: firstFinance.ms }, warm: { signInPage: wPage, signIn: wSignIn, review: wReview } },
      };
    } finally {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
