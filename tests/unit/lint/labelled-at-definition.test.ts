// A schema's form labels are given where the schema is defined (`export const x = labelled(z.object(…),
// {…})`), never by a statement further down that registers them after the fact.
import { readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { libFiles, ROOT } from "./lib-files";

/** Lines of `labelled(…)` calls that stand as statements of their own. */
function trailingLabels(code: string, file: string): number[] {
  const sf = ts.createSourceFile(file, code, ts.ScriptTarget.Latest, true);
  const lines: number[] = [];
  const visit = (n: ts.Node) => {
    if (ts.isExpressionStatement(n) && ts.isCallExpression(n.expression) && ts.isIdentifier(n.expression.expression) && n.expression.expression.text === "labelled") {
      lines.push(sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1);
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return lines;
}

describe("labels at definition", () => {
  it("finds a trailing labelled() statement, and not a wrapped definition", () => {
    const code = [
      'import { z } from "zod";',
      'import { labelled } from "@/lib/http/validation";',
      'export const a = labelled(z.object({ x: z.string() }), { what: "a" });',
      "export const b = z.object({ y: z.string() });",
      'labelled(b, { what: "b" });',
    ].join("\n");
    expect(trailingLabels(code, "lib/x/schemas.ts")).toEqual([5]);
  });

  it("holds for every lib/ file", () => {
    const offenders = libFiles().flatMap((rel) => trailingLabels(readFileSync(path.join(ROOT, rel), "utf8"), rel).map((l) => `${rel}:${l}`));
    expect(offenders).toEqual([]);
  });
});
