// The session's minutes as a Markdown download (?format=md, the default) or as JSON (?format=json).
import { z } from "zod";
import { route } from "@/lib/auth/api";
import { uuidParam } from "@/lib/http/params";
import { minutesMarkdown } from "@/lib/review/minutes";
import { getSessionOr404 } from "@/lib/review/sessions";
import { pool } from "@/lib/db/client";

export const dynamic = "force-dynamic";

const query = z.object({ format: z.enum(["md", "json"], { error: "format must be md or json" }).default("md") });

export const GET = route({ permission: "review.read", params: { id: uuidParam("Review session") }, query }, async ({ params, query }) => {
  const session = await getSessionOr404(pool(), params.id);
  const markdown = minutesMarkdown(session);
  if (query.format === "json") return Response.json({ markdown, session });
  return new Response(markdown, {
    headers: {
      "Content-Type": "text/markdown; charset=utf-8",
      "Content-Disposition": `attachment; filename="review-minutes-${session.week}.md"`,
    },
  });
});
