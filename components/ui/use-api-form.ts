"use client";
// The one form state of the app: field values, the API's per-field errors (its 400 shape mapped to
// field paths), a form-level error, a notice after success, and pending while the call runs. A
// successful submit refreshes the page's server data, so what the form changed shows at once.
import { useRouter } from "next/navigation";
import { useCallback, useState } from "react";
import { callApi, type ApiResult } from "@/components/ui/api";

type Method = "POST" | "PUT" | "PATCH" | "DELETE";

export type SubmitOptions<T> = {
  /** Runs after a successful call, before the refresh; a returned string becomes the notice. */
  onSuccess?: (data: T) => string | void;
  /** Refresh the server data after success (default true); false when the form navigates away itself. */
  refresh?: boolean;
  /** Send the body (a string) as this type rather than as JSON: an uploaded CSV file. */
  contentType?: string;
};

export function useApiForm<V extends Record<string, unknown> = Record<string, never>>(
  initial?: V,
  /** false for a form with no inputs of its own (a button): its one message then keeps every detail. */
  { showsFieldErrors = true }: { showsFieldErrors?: boolean } = {},
) {
  const router = useRouter();
  const [values, setValues] = useState<V>(initial ?? ({} as V));
  const [fields, setFields] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  const setValue = useCallback(<K extends keyof V>(name: K, value: V[K]) => setValues((v) => ({ ...v, [name]: value })), []);

  /** Shows a problem in the form's own words (for example an unreadable file), replacing any field errors. */
  const fail = useCallback((message: string, fieldErrors: Record<string, string> = {}) => {
    setNotice(null);
    setFields(fieldErrors);
    setError(message);
  }, []);

  /** Clears the error, the field errors and the notice, as at the start of a submit. */
  const clear = useCallback(() => {
    setError(null);
    setFields({});
    setNotice(null);
  }, []);

  const submit = useCallback(
    async <T = unknown>(path: string, method: Method, body?: unknown, options: SubmitOptions<T> = {}): Promise<ApiResult<T>> => {
      setPending(true);
      setError(null);
      setNotice(null);
      // Field errors stay until the answer comes, so the form does not flicker while it is pending.
      const r = await callApi<T>(path, { method, body, ...(options.contentType ? { contentType: options.contentType } : {}) });
      setPending(false);
      if (!r.ok) {
        setError(showsFieldErrors ? formLevelMessage(r) : r.message);
        setFields(r.fields);
        return r;
      }
      setFields({});
      const said = options.onSuccess?.(r.data);
      if (typeof said === "string") setNotice(said);
      if (options.refresh !== false) router.refresh();
      return r;
    },
    [router, showsFieldErrors],
  );

  return { values, setValue, setValues, fields, error, notice, pending, submit, fail, clear, setNotice };
}

/**
 * What the form says above its fields. A validation 400 lists every field problem in its message ("The
 * targets are not valid: Target: …") and gives its lead apart as `summary` ("The targets are not valid");
 * when the form shows the field errors beside their fields, it says the summary and points at them,
 * rather than repeating each message twice. Any other refusal is said whole.
 */
export function formLevelMessage({ message, fields, summary }: { message: string; fields: Readonly<Record<string, string>>; summary?: string }): string {
  if (!summary || Object.keys(fields).length === 0) return message;
  return `${summary}: see the fields marked below.`;
}
