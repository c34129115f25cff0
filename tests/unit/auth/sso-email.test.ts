import { describe, expect, it } from "vitest";
import { githubVerifiedPrimaryEmail, verifiedSsoEmail } from "@/lib/auth/sso-email";

describe("single sign-on email", () => {
  it("accepts an OIDC email only when the provider says it is verified", () => {
    expect(verifiedSsoEmail({ email: "a@example.com", email_verified: true })).toBe("a@example.com");
    expect(verifiedSsoEmail({ email: "a@example.com", email_verified: "true" })).toBe("a@example.com");
    expect(verifiedSsoEmail({ email: "a@example.com", email_verified: false })).toBeNull();
    expect(verifiedSsoEmail({ email: "a@example.com" })).toBeNull();
    expect(verifiedSsoEmail({ email_verified: true })).toBeNull();
    expect(verifiedSsoEmail(undefined)).toBeNull();
  });

  it("takes GitHub's primary email only when GitHub has verified it", () => {
    expect(
      githubVerifiedPrimaryEmail([
        { email: "other@example.com", primary: false, verified: true },
        { email: "main@example.com", primary: true, verified: true },
      ]),
    ).toBe("main@example.com");
    expect(
      githubVerifiedPrimaryEmail([
        { email: "verified@example.com", primary: false, verified: true },
        { email: "main@example.com", primary: true, verified: false },
      ]),
    ).toBeNull();
    expect(githubVerifiedPrimaryEmail({ message: "Bad credentials" })).toBeNull();
  });
});
