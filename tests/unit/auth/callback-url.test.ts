import { describe, expect, it } from "vitest";
import { safeCallbackPath } from "@/lib/auth/callback-url";

const base = "http://127.0.0.1:3000";

describe("safeCallbackPath", () => {
  it("keeps a path on this site, with its query and fragment", () => {
    expect(safeCallbackPath("/review", base)).toBe("/review");
    expect(safeCallbackPath("/releases?status=open#top", base)).toBe("/releases?status=open#top");
    expect(safeCallbackPath("/review%20x", base)).toBe("/review%20x");
  });

  it("reduces an absolute URL on this very origin to its path", () => {
    expect(safeCallbackPath("http://127.0.0.1:3000/finance", base)).toBe("/finance");
  });

  it.each([
    ["//127.0.0.1:9/x"],
    ["https://127.0.0.1:9/x"],
    ["http://127.0.0.1:3000.evil.example/x"],
    ["/\\127.0.0.1:9/x"],
    ["/%5C127.0.0.1:9/x"],
    ["/%5c127.0.0.1:9/x"],
    ["/%255C127.0.0.1:9/x"],
    ["/\t/127.0.0.1:9/x"],
    ["/%09/127.0.0.1:9/x"],
    ["/%0a/127.0.0.1:9/x"],
    ["/%2F/127.0.0.1:9/x"],
    ["/%252F%252F127.0.0.1:9/x"],
    ["/ok/%E0%A4%A"],
    ["javascript:alert(1)"],
    ["review"],
    [""],
  ])("refuses %j", (raw) => {
    expect(safeCallbackPath(raw, base)).toBeNull();
  });

  it("refuses what is not a string, or far too long", () => {
    expect(safeCallbackPath(undefined, base)).toBeNull();
    expect(safeCallbackPath(["/review", "//evil"], base)).toBeNull();
    expect(safeCallbackPath(`/${"a".repeat(5000)}`, base)).toBeNull();
  });
});
