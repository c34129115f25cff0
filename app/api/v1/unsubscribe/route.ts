// An email's unsubscribe link, applied: POST /api/v1/unsubscribe?u=<user>&k=<kind>&t=<signature> sets
// that person's kind to "none", without a sign-in (the signature is the proof). A mail client's one-click
// List-Unsubscribe-Post lands here (200); the button on the /unsubscribe page posts a form here and is
// sent back to that page, which then says it is done (303). GET changes nothing: it is the page's job.
import { publicRoute } from "@/lib/auth/api";
import { validate } from "@/lib/http/validation";
import { pool } from "@/lib/db/client";
import { unsubscribe } from "@/lib/notify/preferences";
import { unsubscribeQuery } from "@/lib/notify/schemas";

export const dynamic = "force-dynamic";

export const POST = publicRoute(async ({ req }) => {
  const query = validate(unsubscribeQuery, Object.fromEntries(new URL(req.url).searchParams), "unsubscribe link");
  const done = await unsubscribe(pool(), query);
  if ((req.headers.get("content-type") ?? "").includes("application/x-www-form-urlencoded") && (req.headers.get("accept") ?? "").includes("text/html")) {
    const page = new URL(`/unsubscribe?${new URLSearchParams({ ...query, done: "1" })}`, req.url);
    return new Response(null, { status: 303, headers: { Location: `${page.pathname}${page.search}` } });
  }
  return Response.json({ unsubscribed: done.kind, label: done.label });
});
