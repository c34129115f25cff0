// lib/ never builds an HTTP response: the lint rule in eslint.config.mjs refuses new Response,
// Response.json and NextResponse in lib/ outside lib/http, and no lib/ file does so today.
import { readFileSync } from "node:fs";
import path from "node:path";
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";
import { libFiles, ROOT as root } from "./lib-files";

const eslint = new ESLint({ cwd: root });

async function refusals(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === "no-restricted-syntax").map((m) => m.message);
}

describe("no Response in lib/", () => {
  it("refuses new Response, Response.json, Response.redirect and NextResponse in a lib/ file", async () => {
    const cases = [
      'export const r = () => new Response("x");\n',
      "export const r = () => Response.json({ ok: true });\n",
      'export const r = () => Response.redirect("https://example.com");\n',
      'import { NextResponse } from "next/server";\nexport const r = () => NextResponse.json({});\n',
    ];
    for (const code of cases) {
      const found = await refusals(code, "lib/finance/probe.ts");
      expect(found.length, code).toBeGreaterThan(0);
      for (const m of found) expect(m, code).toContain("lib/ does not build HTTP responses");
    }
  });

  it("allows them in lib/http and in route handlers, and allows the Response type in lib/", async () => {
    expect(await refusals("export const r = () => Response.json({ ok: true });\n", "lib/http/probe.ts")).toEqual([]);
    expect(await refusals("export const r = () => Response.json({ ok: true });\n", "app/api/v1/probe/route.ts")).toEqual([]);
    expect(await refusals("export type H = (req: Request) => Promise<Response>;\n", "lib/auth/probe.ts")).toEqual([]);
  });

  it("holds for every lib/ file today", async () => {
    const offenders: string[] = [];
    for (const rel of libFiles(["lib/http"])) {
      if (/\bnew Response\(|\bResponse\.(json|redirect|error)\(|\bNextResponse\b/.test(readFileSync(path.join(root, rel), "utf8"))) offenders.push(rel);
    }
    expect(offenders).toEqual([]);
  });
});
