// Real HTTP helpers: sign in through next-auth's own endpoints and keep the session cookie.
export type Session = { cookie: string; fetch: (path: string, init?: RequestInit) => Promise<Response> };

function cookiesFrom(res: Response): string[] {
  return res.headers.getSetCookie().map((c) => c.split(";")[0]!);
}

export function anonymous(baseUrl: string): Session {
  return { cookie: "", fetch: (p, init) => fetch(baseUrl + p, { redirect: "manual", ...init }) };
}

export async function signIn(baseUrl: string, email: string, password: string): Promise<Session> {
  const csrfRes = await fetch(`${baseUrl}/api/auth/csrf`);
  const { csrfToken } = (await csrfRes.json()) as { csrfToken: string };
  const jar = new Map(cookiesFrom(csrfRes).map((c) => [c.split("=")[0]!, c]));
  const res = await fetch(`${baseUrl}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: [...jar.values()].join("; ") },
    body: new URLSearchParams({ csrfToken, email, password, json: "true" }),
  });
  for (const c of cookiesFrom(res)) jar.set(c.split("=")[0]!, c);
  const cookie = [...jar.values()].join("; ");
  if (!cookie.includes("next-auth.session-token")) throw new Error(`sign-in as ${email} failed (${res.status})`);
  return {
    cookie,
    fetch: (p, init) => fetch(baseUrl + p, { redirect: "manual", ...init, headers: { ...(init?.headers ?? {}), Cookie: cookie } }),
  };
}

export function withKey(baseUrl: string, key: string): Session {
  return {
    cookie: "",
    fetch: (p, init) =>
      fetch(baseUrl + p, { redirect: "manual", ...init, headers: { ...(init?.headers ?? {}), Authorization: `Bearer ${key}` } }),
  };
}

/** Calls a JSON route as `who`: the status and the parsed answer (null for an empty body). */
export async function callJson<T>(who: Session, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await who.fetch(path, {
    method,
    headers: body === undefined ? undefined : { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
}
