// One way for the database handle: a lib/ function that touches the database takes `db: Db` first, and
// the handle is taken from lib/db (pool()) only at an entry point. Route handlers (app/api/**) and the
// CLI are entry points by place; inside lib/ the entry points are the page-data loaders pages call (pages
// may not import lib/db) and the few callers that no request of ours starts, each listed here with why.
import { readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { libFiles, ROOT as root } from "./lib-files";

/** lib/ files that may call pool(), and why. Anything else takes a Db from its caller. */
const ENTRY_POINTS: Record<string, string> = {
  "lib/review/page-data.ts": "loads the coverage, session, minutes, follow-ups and My work pages",
  "lib/review/review-page-data.ts": "loads the weekly review page (reviewOfWeek)",
  "lib/review/endpoint-page-data.ts": "loads the endpoint page (endpointWeeks, endpointTargetsEditable)",
  "lib/finance/page-data.ts": "loads the finance page",
  "lib/customers/page-data.ts": "loads the customers month and customer pages",
  "lib/releases/page-data.ts": "loads the releases pages and the endpoint page's release markers",
  "lib/incidents/page-data.ts": "loads the incidents pages",
  "lib/budgets/page-data.ts": "loads the budgets pages",
  "lib/whatif/page-data.ts": "loads the What if pages (the form's choices, a saved scenario, the list)",
  "lib/pricing/page-data.ts": "loads the price book, GPU settings and request pages",
  "lib/notify/page-data.ts": "loads the notifications settings page (channels, delivery settings, delivery log)",
  "lib/settings/page-data.ts": "loads the settings pages and the time zone the week and month redirects use",
  "lib/demo/page-data.ts": "loads the sign-in page (whether the demo logins are shown)",
  "lib/auth/options.ts": "NextAuth's callbacks (authorize, sign-in, sign-out) are called by next-auth, not by a caller that holds a handle",
  "lib/rollups/scheduler.ts": "the background refresh timer: no request starts it",
  "lib/notify/scheduler.ts": "the notification delivery timer: no request starts it",
  "lib/pricing/load-prices.ts": "activePrices() is the process-wide cache of the app's own price book, read on the ingest path",
  "lib/ingest/store-events.ts": "ingestEvents(events, { db }) falls back to the app's pool when no handle is given (its option, not a parameter)",
};

type Finding = { file: string; line: number; what: string };

/** The local names of lib/db/client's handle functions (pool, db) that a file imports, aliases included. */
function handleImports(sf: ts.SourceFile): Map<string, string> {
  const names = new Map<string, string>();
  for (const st of sf.statements) {
    if (!ts.isImportDeclaration(st) || !ts.isStringLiteral(st.moduleSpecifier)) continue;
    if (st.moduleSpecifier.text !== "@/lib/db/client") continue;
    const bindings = st.importClause?.namedBindings;
    if (!bindings || !ts.isNamedImports(bindings)) continue;
    for (const el of bindings.elements) {
      const imported = (el.propertyName ?? el.name).text;
      if (imported === "pool" || imported === "db") names.set(el.name.text, imported);
    }
  }
  return names;
}

/** Parameters defaulted to a handle (`db = pool()`), and pool() calls. */
function findHandleUse(code: string, file: string): { defaults: Finding[]; poolCalls: Finding[] } {
  const sf = ts.createSourceFile(file, code, ts.ScriptTarget.Latest, true, file.endsWith(".tsx") ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const handles = handleImports(sf);
  const defaults: Finding[] = [];
  const poolCalls: Finding[] = [];
  const at = (n: ts.Node) => sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1;
  const handleCall = (n: ts.Node | undefined): string | null =>
    n && ts.isCallExpression(n) && ts.isIdentifier(n.expression) && handles.has(n.expression.text) ? handles.get(n.expression.text)! : null;
  const visit = (n: ts.Node) => {
    if (ts.isParameter(n) && handleCall(n.initializer)) defaults.push({ file, line: at(n), what: n.getText(sf) });
    if (handleCall(n) === "pool") poolCalls.push({ file, line: at(n), what: n.getText(sf) });
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return { defaults, poolCalls };
}

const show = (f: Finding) => `${f.file}:${f.line}: ${f.what}`;

describe("the database handle", () => {
  it("finds a parameter defaulted to a handle, by any local name, and a pool() call", () => {
    const code = [
      'import { pool as defaultPool, db } from "@/lib/db/client";',
      "export async function a(x: string, h = defaultPool()) { return h.query(x); }",
      "export async function b(p = db()) { return p; }",
      "export async function c() { return defaultPool().query('SELECT 1'); }",
    ].join("\n");
    const found = findHandleUse(code, "lib/x/probe.ts");
    expect(found.defaults.map((f) => f.what)).toEqual(["h = defaultPool()", "p = db()"]);
    // The default in a() is a pool() call too.
    expect(found.poolCalls.map((f) => f.line)).toEqual([2, 4]);
  });

  it("does not mistake a handle passed in, or a pool() that is not lib/db's, for one", () => {
    const code = [
      'import type { Db } from "@/lib/db/client";',
      "const pool = () => null;",
      "export async function a(db: Db, x: string) { pool(); return db.query(x); }",
    ].join("\n");
    expect(findHandleUse(code, "lib/x/probe.ts")).toEqual({ defaults: [], poolCalls: [] });
  });

  it("no lib/ function takes its handle as a defaulted parameter", () => {
    const offenders = libFiles(["lib/db"]).flatMap((rel) => findHandleUse(readFileSync(path.join(root, rel), "utf8"), rel).defaults);
    expect(offenders.map(show)).toEqual([]);
  });

  it("pool() is called in lib/ only by lib/db and the listed entry points", () => {
    const offenders = libFiles(["lib/db"])
      .filter((rel) => !(rel in ENTRY_POINTS))
      .flatMap((rel) => findHandleUse(readFileSync(path.join(root, rel), "utf8"), rel).poolCalls);
    expect(offenders.map(show)).toEqual([]);
  });

  it("lists only entry points that exist and still call pool()", () => {
    const stale = Object.keys(ENTRY_POINTS).filter((rel) => {
      let code: string;
      try {
        code = readFileSync(path.join(root, rel), "utf8");
      } catch {
        return true;
      }
      return findHandleUse(code, rel).poolCalls.length === 0;
    });
    expect(stale).toEqual([]);
  });
});
