// Where to go after signing in (or out): the only place a callbackUrl is judged. Only a path on this
// site is followed; anything that a browser could read as another host is refused, in every
// percent-decoded form: backslashes (browsers read "/\evil" as "//evil"), control characters (they
// drop tabs and newlines: "/\t/evil" is "//evil"), and "//" anywhere.

// eslint-disable-next-line no-control-regex -- control characters are exactly what this refuses
const UNSAFE = /[\\\u0000-\u001f\u007f]|\/\//;
const MAX_LENGTH = 2048;

function decodedForms(raw: string): string[] | null {
  const forms = [raw];
  let current = raw;
  for (let i = 0; i < 5 && current.includes("%"); i++) {
    let next: string;
    try {
      next = decodeURIComponent(current);
    } catch {
      return null; // a malformed escape: refuse rather than guess what a browser would make of it
    }
    if (next === current) break;
    forms.push(next);
    current = next;
  }
  return forms;
}

/**
 * The path to follow for a callbackUrl, or null when it is missing or not safely on this site.
 * `baseUrl` is the app's own address (NEXTAUTH_URL); an absolute URL on that same origin is accepted
 * and reduced to its path.
 */
export function safeCallbackPath(raw: unknown, baseUrl: string): string | null {
  if (typeof raw !== "string" || raw.length === 0 || raw.length > MAX_LENGTH) return null;
  let base: URL;
  try {
    base = new URL(baseUrl);
  } catch {
    return null;
  }
  let candidate = raw;
  if (raw.toLowerCase().startsWith(`${base.origin.toLowerCase()}/`)) candidate = raw.slice(base.origin.length);
  if (!candidate.startsWith("/")) return null;
  const forms = decodedForms(candidate);
  if (!forms || forms.some((f) => UNSAFE.test(f))) return null;
  let url: URL;
  try {
    url = new URL(candidate, base.origin);
  } catch {
    return null;
  }
  if (url.origin !== base.origin) return null;
  const path = url.pathname + url.search + url.hash;
  return path.startsWith("/") && !path.startsWith("//") ? path : null;
}
