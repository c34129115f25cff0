// Single sign-on identifies a user by email, so only an email the provider has verified is accepted.

/** The email of an OIDC (or GitHub, see below) profile when the provider says it is verified, else null. */
export function verifiedSsoEmail(profile: unknown): string | null {
  if (!profile || typeof profile !== "object") return null;
  const p = profile as { email?: unknown; email_verified?: unknown };
  const verified = p.email_verified === true || p.email_verified === "true";
  return verified && typeof p.email === "string" && p.email.includes("@") ? p.email : null;
}

/** From GitHub's /user/emails answer: the primary email if GitHub has verified it, else null. */
export function githubVerifiedPrimaryEmail(emails: unknown): string | null {
  if (!Array.isArray(emails)) return null;
  const primary = emails.find(
    (e): e is { email: string } =>
      !!e && typeof e === "object" && (e as { primary?: unknown }).primary === true && (e as { verified?: unknown }).verified === true &&
      typeof (e as { email?: unknown }).email === "string",
  );
  return primary?.email ?? null;
}
