import { describe, expect, it } from "vitest";
import { DEMO_SPIKE, DEMO_STORIES, demoCustomerId, generateDemoEvents, isoWeekStart } from "@/lib/demo/generate-events";
import { parseEvent } from "@/lib/ingest/event-schema";

const NOW = new Date("2026-11-25T15:00:00Z");

describe("the demo events", () => {
  const events = generateDemoEvents(NOW);

  it("are the same for the same moment, and every one is a valid event", () => {
    expect(generateDemoEvents(NOW)).toEqual(events);
    const invalid = events.map((e, i) => parseEvent(e, i)).filter((r) => !r.ok);
    expect(invalid).toEqual([]);
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
  });

  it("cover twelve full weeks before this week and stop at now", () => {
    const times = events.map((e) => new Date(String(e.timestamp)).getTime());
    const start = isoWeekStart(NOW).getTime() - 12 * 7 * 24 * 3_600_000;
    expect(Math.min(...times)).toBeGreaterThanOrEqual(start);
    expect(Math.min(...times)).toBeLessThan(start + 24 * 3_600_000);
    expect(Math.max(...times)).toBeLessThanOrEqual(NOW.getTime());
  });

  it("include retries, fallbacks, GPU time, untagged and unpriceable spend", () => {
    expect(events.some((e) => e.status === "error")).toBe(true);
    expect(events.some((e) => e.attempt === 3 && e.provider === "anthropic")).toBe(true);
    expect(events.some((e) => e.kind === "gpu" && typeof e.gpuSeconds === "number")).toBe(true);
    expect(events.some((e) => !("endpoint" in e))).toBe(true);
    expect(events.some((e) => e.model === "triage-ft-v2")).toBe(true);
  });

  it("tell the stories: the acme tenant only appears from its ramp-up week", () => {
    const ramp = DEMO_STORIES.find((s) => s.what.includes("Acme"))!;
    const rampStart = isoWeekStart(NOW).getTime() - (12 - ramp.week) * 7 * 24 * 3_600_000;
    const acme = events.filter((e) => e.cohort === "acme").map((e) => new Date(String(e.timestamp)).getTime());
    expect(acme.length).toBeGreaterThan(100);
    expect(Math.min(...acme)).toBeGreaterThanOrEqual(rampStart);
  });

  it("tell the incident story: four consecutive hours of triage with enough requests to judge, each request retried on a long prompt", () => {
    const HOUR = 3_600_000;
    const start = isoWeekStart(NOW).getTime() - (12 - DEMO_SPIKE.week) * 7 * 24 * HOUR + DEMO_SPIKE.startHourOfWeek * HOUR;
    const requestsByHour = new Map<number, Set<string>>();
    for (const e of events.filter((x) => x.endpoint === DEMO_SPIKE.endpoint)) {
      const t = new Date(String(e.timestamp)).getTime();
      if (t < start - HOUR || t >= start + (DEMO_SPIKE.hours + 1) * HOUR) continue;
      const hour = Math.floor((t - start) / HOUR);
      requestsByHour.set(hour, (requestsByHour.get(hour) ?? new Set()).add(String(e.requestId)));
    }
    for (let h = 0; h < DEMO_SPIKE.hours; h++) expect(requestsByHour.get(h)?.size ?? 0).toBeGreaterThanOrEqual(20);
    expect(requestsByHour.get(-1)?.size ?? 0).toBeLessThan(20);
    expect(requestsByHour.get(DEMO_SPIKE.hours)?.size ?? 0).toBeLessThan(20);
  });

  it("serve customers: every request one paying account, a few large tenants and a few hundred plan customers, a few heavy and many light", () => {
    const byRequest = new Map<string, Set<unknown>>();
    for (const e of events) byRequest.set(String(e.requestId), (byRequest.get(String(e.requestId)) ?? new Set()).add(e.customerId));
    expect([...byRequest.values()].every((s) => s.size === 1 && typeof [...s][0] === "string")).toBe(true);
    const requests = new Map<string, number>();
    for (const s of byRequest.values()) { const id = String([...s][0]); requests.set(id, (requests.get(id) ?? 0) + 1); }
    expect(requests.size).toBeGreaterThan(200);
    expect(requests.size).toBeLessThanOrEqual(309);
    expect(events.filter((e) => e.cohort === "acme").every((e) => e.customerId === "acme")).toBe(true);
    expect(events.filter((e) => e.cohort === "pro").every((e) => /^pro-\d{3}$/.test(String(e.customerId)))).toBe(true);
    // Heavy and light: the busiest pro customer has several times the requests of the median one.
    const pro = [...requests].filter(([id]) => id.startsWith("pro-")).map(([, n]) => n).sort((a, b) => b - a);
    expect(pro[0]!).toBeGreaterThan(3 * pro[Math.floor(pro.length / 2)]!);
    // Drawn from the request id alone: the same on every machine and independent of the event generator.
    expect(demoCustomerId("pro", "demo-w3-chat.answer-17")).toBe(demoCustomerId("pro", "demo-w3-chat.answer-17"));
    expect(() => demoCustomerId("nobody", "x")).toThrow();
  });
});
