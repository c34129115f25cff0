// What a request says about where it came from. X-Forwarded-* headers are believed only with
// TRUST_PROXY=1 (the app runs behind a reverse proxy that sets them); otherwise a client could forge them.
// Without TRUST_PROXY the launcher strips any X-Forwarded-* a client sends before Next.js sees the request
// (bin/strip-forwarded-headers.mjs), so Next.js's own X-Forwarded-For is the socket's address.
import { env } from "@/lib/env";

type HeaderSource = Headers | Record<string, string | string[] | undefined>;

function header(h: HeaderSource | undefined, name: string): string | undefined {
  if (!h) return undefined;
  if (h instanceof Headers) return h.get(name) ?? undefined;
  const v = h[name] ?? h[name.toLowerCase()];
  return Array.isArray(v) ? v.join(",") : v;
}

export function trustProxy(): boolean {
  return env().TRUST_PROXY;
}

/** The host the client addressed: Host, or X-Forwarded-Host from a trusted proxy. */
export function requestHost(h: HeaderSource): string | undefined {
  const forwarded = trustProxy() ? header(h, "x-forwarded-host")?.split(",")[0]?.trim() : undefined;
  return forwarded || header(h, "host");
}

/**
 * The client's address for the sign-in limits: the last X-Forwarded-For entry, which is the one the
 * nearest hop added (the trusted proxy with TRUST_PROXY=1; Next.js itself, from the socket, without).
 */
export function clientAddress(h: HeaderSource | undefined): string {
  const list = header(h, "x-forwarded-for")
    ?.split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const last = list?.[list.length - 1];
  if (!last) return "unknown";
  // IPv4 seen through an IPv6 socket (::ffff:127.0.0.1) is the same client as 127.0.0.1.
  return last.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i, "$1").slice(0, 100);
}

/** Served over https: NEXTAUTH_URL says so, or a trusted proxy does (X-Forwarded-Proto). */
export function servedOverHttps(h: HeaderSource): boolean {
  if (env().NEXTAUTH_URL?.startsWith("https:")) return true;
  return trustProxy() && header(h, "x-forwarded-proto")?.split(",")[0]?.trim().toLowerCase() === "https";
}
