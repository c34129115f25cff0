// Every kind of principal the app knows, signed in over real HTTP: no one, the demo users of each role,
// and an ingest and an admin API key created by the admin. Shared by the authorization and fuzz tests.
import { expect } from "vitest";
import { DEMO_PASSWORD } from "@/lib/demo/generate-org";
import { anonymous, signIn, withKey, type Session } from "./http";

export const PRINCIPALS = ["anonymous", "viewer", "owner", "finance", "admin", "key:ingest", "key:admin"] as const;
export type PrincipalName = (typeof PRINCIPALS)[number];

export async function signInEveryone(baseUrl: string, keyLabel: string): Promise<Map<PrincipalName, Session>> {
  const sessions = new Map<PrincipalName, Session>();
  sessions.set("anonymous", anonymous(baseUrl));
  for (const role of ["viewer", "owner", "finance", "admin"] as const) sessions.set(role, await signIn(baseUrl, `${role}@example.com`, DEMO_PASSWORD));
  const admin = sessions.get("admin")!;
  for (const scope of ["ingest", "admin"] as const) {
    const res = await admin.fetch("/api/v1/api-keys", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ name: `${keyLabel} ${scope}`, scope }),
    });
    expect(res.status).toBe(201);
    sessions.set(`key:${scope}`, withKey(baseUrl, ((await res.json()) as { key: string }).key));
  }
  return sessions;
}
