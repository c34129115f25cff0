// The demo organisation comes with a cost incident: the week-9 retry loop on ticket triage is a sustained
// hourly spike, found by the same detection as any other (lib/incidents/detect.ts) when the demo is seeded.
import { describe, expect, inject, it } from "vitest";
import { DEMO_PASSWORD } from "@/lib/demo/generate-org";
import { DEMO_SPIKE } from "@/lib/demo/generate-events";
import type { Incident } from "@/lib/incidents/incidents";
import { callJson, signIn } from "../support/http";

const baseUrl = inject("baseUrl");

describe("the demo's cost incident", () => {
  it("is open on support.triage over the spike's hours, owned by the feature's owner", async () => {
    const viewer = await signIn(baseUrl, "viewer@example.com", DEMO_PASSWORD);
    const res = await callJson<{ incidents: Incident[] }>(viewer, "GET", `/api/v1/incidents?endpoint=${DEMO_SPIKE.endpoint}`);
    expect(res.status).toBe(200);
    const incident = res.body.incidents.find((i) => i.status === "open");
    expect(incident, JSON.stringify(res.body)).toBeDefined();
    expect(incident!.hours.length).toBe(DEMO_SPIKE.hours);
    expect(new Date(incident!.windowStart).getUTCDay()).toBe(4);
    expect(new Date(incident!.windowStart).getUTCHours()).toBe(10);
    expect(Date.parse(incident!.windowEnd) - Date.parse(incident!.windowStart)).toBe(DEMO_SPIKE.hours * 3_600_000);
    for (const h of incident!.hours) expect(Number(h.costPerRequest)).toBeGreaterThan(1.5 * Number(h.baseline));
    expect(incident!.owner).not.toBeNull();
  });
});
