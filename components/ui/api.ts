// Client-side helper for calling the app's JSON API and turning its errors into readable text.
/** A refusal: its message, its field errors by path, and (for a 400 from validation) the message's lead without the field details. */
export type ApiResult<T> = { ok: true; data: T } | { ok: false; message: string; fields: Record<string, string>; summary?: string };

/** The body is sent as JSON, or as the text it is when `contentType` names another type (an uploaded CSV file). */
export async function callApi<T>(path: string, init: { method: string; body?: unknown; contentType?: string }): Promise<ApiResult<T>> {
  const raw = init.contentType !== undefined && typeof init.body === "string";
  const res = await fetch(path, {
    method: init.method,
    headers: init.body === undefined ? undefined : { "Content-Type": raw ? init.contentType! : "application/json" },
    body: init.body === undefined ? undefined : raw ? (init.body as string) : JSON.stringify(init.body),
  });
  const json = (await res.json().catch(() => ({}))) as { error?: { message?: string; summary?: string; errors?: { path: string; message: string }[] } };
  if (res.ok) return { ok: true, data: json as T };
  const fields = Object.fromEntries((json.error?.errors ?? []).map((e) => [e.path, e.message]));
  const summary = typeof json.error?.summary === "string" ? json.error.summary : undefined;
  return { ok: false, message: json.error?.message ?? `Request failed (${res.status})`, fields, ...(summary ? { summary } : {}) };
}
