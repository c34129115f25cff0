// The session's minutes as a Markdown download (?format=md, the default) or as JSON (?format=json).
import { route } from "@/lib/auth/api";
import { badRequest } from "@/lib/errors";
import { requireId } from "@/lib/workflow/common";
import { minutesMarkdown } from "@/lib/workflow/minutes";
import { getSessionOr404 } from "@/lib/workflow/sessions";

export const dynamic = "force-dynamic";

export const GET = route({ permission: "review.read" }, async ({ req, params }) => {
  const format = new URL(req.url).searchParams.get("format") ?? "md";
  if (format !== "md" && format !== "json") throw badRequest("format must be md or json.", [{ path: "format", message: "must be md or json" }]);
  const session = await getSessionOr404(requireId(params.id, "Review session"));
  const markdown = minutesMarkdown(session);
  if (format === "json") return Response.json({ markdown, session });
  return new Response(markdown, {
    headers: {
      "Content-Type": "text/markdown; charset=utf-8",
      "Content-Disposition": `attachment; filename="review-minutes-${session.week}.md"`,
    },
  });
});
