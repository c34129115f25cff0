import { describe, expect, it } from "vitest";
import { PROBE_FROM_STORED_PER_PENDING, choosePendingRead } from "@/lib/rollups/pending-read";

describe("how a refresh reads its pending events", () => {
  it("scans when the pending events are a large part of the store (a store that is one burst)", () => {
    expect(choosePendingRead(1_000_000, 1_000_000)).toBe("scan");
    expect(choosePendingRead(250_000, 1_000_000)).toBe("scan");
  });

  it("looks each pending event up once the store holds many times more", () => {
    expect(choosePendingRead(100_000, PROBE_FROM_STORED_PER_PENDING * 100_000)).toBe("probe");
    expect(choosePendingRead(10, 10_000_000)).toBe("probe");
    expect(choosePendingRead(100_000, PROBE_FROM_STORED_PER_PENDING * 100_000 - 1)).toBe("scan");
  });

  it("scans when nothing is pending or the store's size is unknown (a Citus coordinator, a table never analysed)", () => {
    expect(choosePendingRead(0, 1_000_000)).toBe("scan");
    expect(choosePendingRead(5_000, 0)).toBe("scan");
  });
});
