// The webhook signature: t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<body>">, verified with a tolerance window.
import { createHmac, timingSafeEqual } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { signatureHeader, verifySignature } from "@/lib/notify/signature";

const secret = "whsec-0123456789abcdef";
const body = JSON.stringify({ id: "notification.test:1", type: "notification.test", data: { channel: "Ops" } });
const t = 1_800_000_000;

describe("webhook signatures", () => {
  it("signs with an HMAC-SHA256 of '<t>.<body>' that anyone with the secret can recompute", () => {
    const header = signatureHeader(secret, body, t);
    const expected = createHmac("sha256", secret).update(`${t}.${body}`).digest("hex");
    expect(header).toBe(`t=${t},v1=${expected}`);
  });

  it("verifies a signature made now", () => {
    expect(verifySignature(secret, body, signatureHeader(secret, body))).toBe(true);
    expect(verifySignature(secret, body, signatureHeader(secret, body, t), { now: t + 10 })).toBe(true);
  });

  it("refuses another body, another secret, or a tampered signature", () => {
    const header = signatureHeader(secret, body, t);
    expect(verifySignature(secret, body.replace("Ops", "Opz"), header, { now: t })).toBe(false);
    expect(verifySignature("another-secret-0000", body, header, { now: t })).toBe(false);
    const flipped = header.slice(0, -1) + (header.endsWith("0") ? "1" : "0");
    expect(verifySignature(secret, body, flipped, { now: t })).toBe(false);
    // The timestamp is signed too: moving it breaks the signature.
    expect(verifySignature(secret, body, header.replace(`t=${t}`, `t=${t + 1}`), { now: t })).toBe(false);
  });

  it("refuses a replay outside the tolerance window, either side", () => {
    const header = signatureHeader(secret, body, t);
    expect(verifySignature(secret, body, header, { now: t + 300 })).toBe(true);
    expect(verifySignature(secret, body, header, { now: t + 301 })).toBe(false);
    expect(verifySignature(secret, body, header, { now: t - 301 })).toBe(false);
    expect(verifySignature(secret, body, header, { now: t + 3600, toleranceSeconds: 3600 })).toBe(true);
  });

  it("accepts any one of several v1 entries (a secret being rotated), and refuses malformed headers", () => {
    const good = signatureHeader(secret, body, t).split(",")[1]!;
    expect(verifySignature(secret, body, `t=${t},v1=${"0".repeat(64)},${good}`, { now: t })).toBe(true);
    for (const h of [null, "", "garbage", `t=${t}`, good, `t=abc,${good}`, `t=${t},v1=xyz`]) expect(verifySignature(secret, body, h, { now: t })).toBe(false);
    expect(verifySignature("", body, signatureHeader(secret, body, t), { now: t })).toBe(false);
  });
});

describe("the README's verification sample", () => {
  it("verifies what the app signs and refuses a changed body or another secret", () => {
    const readme = readFileSync(path.resolve(import.meta.dirname, "..", "..", "..", "README.md"), "utf8");
    const block = /```js\n(import \{ createHmac, timingSafeEqual \} from "node:crypto";[\s\S]*?)```/.exec(readme)?.[1];
    expect(block, "the README has the Node.js sample").toBeTruthy();
    const code = block!.replace(/^import .*$/m, "") + "\nreturn verifySignature;";
    const verify = new Function("createHmac", "timingSafeEqual", code)(createHmac, timingSafeEqual) as (s: string, b: string, h: string) => boolean;
    const header = signatureHeader(secret, body);
    expect(verify(secret, body, header)).toBe(true);
    expect(verify(secret, body + " ", header)).toBe(false);
    expect(verify("another-secret-0000", body, header)).toBe(false);
    expect(verify(secret, body, signatureHeader(secret, body, Math.floor(Date.now() / 1000) - 600))).toBe(false);
  });
});
