// The Responses the route layer answers with: lib/ outside lib/http never builds one (a unit test,
// tests/unit/lint/no-response-in-lib.test.ts, proves it); route handlers build JSON answers with
// Response.json themselves, and use these for the shared shapes.
import { AppError } from "@/lib/errors";

/** Any error → the JSON error answer: { error: { code, message, errors? } } with the AppError's status, else a 500 that says nothing internal. */
export function errorResponse(err: unknown): Response {
  if (err instanceof AppError) {
    const headers: Record<string, string> = {};
    if (typeof err.details?.retryAfter === "number") headers["Retry-After"] = String(err.details.retryAfter);
    return Response.json({ error: { code: err.code, message: err.message, ...err.details } }, { status: err.status, headers });
  }
  console.error("unhandled error in route:", err);
  return Response.json(
    { error: { code: "internal", message: "Something went wrong on our side; the request was not applied. Try again." } },
    { status: 500 },
  );
}

/** A streamed download (Content-Disposition: attachment) from an async generator of text (or binary) chunks. */
export function downloadResponse(chunks: AsyncGenerator<string | Uint8Array>, contentType: string, filename: string): Response {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await chunks.next();
        if (next.done) controller.close();
        else controller.enqueue(typeof next.value === "string" ? encoder.encode(next.value) : next.value);
      } catch (err) {
        // The status and headers are sent: the download is cut short, which the client sees as a failed transfer.
        console.error("download failed part-way:", err);
        controller.error(err);
      }
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
  return new Response(body, {
    headers: {
      "Content-Type": contentType,
      "Content-Disposition": `attachment; filename="${filename}"`,
      "Cache-Control": "no-store",
    },
  });
}
