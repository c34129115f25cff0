// Reading a request body within a size limit: the one way every route takes a body it must bound
// (bulk ingest, OTLP, quality uploads and every JSON body).
import { AppError } from "@/lib/errors";
import { decodeUtf8 } from "@/lib/http/input";

export async function readLimitedText(req: Request, maxBytes: number): Promise<string> {
  // Strict: invalid UTF-8 is a 400, never U+FFFD (two distinct ids could collide).
  return decodeUtf8(await readLimitedBytes(req, maxBytes));
}

/** The raw body, refused with 413 as soon as it grows past maxBytes (whatever Content-Length claims). */
export async function readLimitedBytes(req: Request, maxBytes: number): Promise<Uint8Array> {
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (declared > maxBytes) throw tooLarge(maxBytes);
  if (!req.body) return new Uint8Array(0);
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

export const tooLarge = (maxBytes: number) =>
  new AppError("payload_too_large", 413, `The body is larger than ${maxBytes} bytes; split it into smaller batches.`, { maxBytes });
