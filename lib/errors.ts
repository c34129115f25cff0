// Typed errors with a stable code, an HTTP status and a message that tells the caller how to fix it.
export type FieldError = { path: string; message: string };

export class AppError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly details?: { errors?: FieldError[]; [k: string]: unknown },
  ) {
    super(message);
    this.name = "AppError";
  }
}

export const unauthenticated = (message = "Sign in, or send an API key as 'Authorization: Bearer <key>'.") =>
  new AppError("unauthenticated", 401, message);
export const forbidden = (message: string) => new AppError("forbidden", 403, message);
export const notFound = (what: string) => new AppError("not_found", 404, `${what} was not found.`);
export const conflict = (message: string) => new AppError("conflict", 409, message);
export const badRequest = (message: string, errors?: FieldError[]) =>
  new AppError("invalid_request", 400, message, errors ? { errors } : undefined);

/** zod issues → per-field errors, paths joined with dots ("events.3.usage.inputTokens"). */
export function fieldErrors(issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>): FieldError[] {
  return issues.map((i) => ({ path: i.path.map(String).join(".") || "(body)", message: i.message }));
}
