// The layering rule in eslint.config.mjs: lib/ never imports components/ or app/; components/ never
// reach the database (lib/db, the Prisma client, pg); pages call lib/ instead of running SQL.
import path from "node:path";
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

const eslint = new ESLint({ cwd: path.resolve(import.meta.dirname, "..", "..", "..") });

async function restricted(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === "no-restricted-imports").map((m) => m.message);
}

describe("the layering lint rule", () => {
  it("refuses a lib/ → components/ import, by alias or relative path", async () => {
    const alias = await restricted('import type { X } from "@/components/review/review-table";\nexport type Y = X;\n', "lib/x/probe.ts");
    expect(alias).toEqual([expect.stringContaining("lib/ must not import components/ or app/")]);
    expect(await restricted('import { Card } from "../../components/ui/card";\nexport const c = Card;\n', "lib/x/probe.ts")).toHaveLength(1);
    expect(await restricted('import { GET } from "@/app/api/v1/weekly/route";\nexport const g = GET;\n', "lib/x/probe.ts")).toHaveLength(1);
  });

  it("refuses components/ → lib/db, the Prisma client and pg", async () => {
    for (const source of ["@/lib/db/client", "@/lib/generated/prisma/client", "pg", "@prisma/client"]) {
      const found = await restricted(`import * as m from "${source}";\nexport const x = m;\n`, "components/x/probe.tsx");
      expect(found, source).toEqual([expect.stringContaining("Only lib/ (and route handlers) reach the database")]);
    }
  });

  it("refuses lib/db and pg in a page, and allows them in a route handler", async () => {
    const code = 'import { pool } from "@/lib/db/client";\nexport const p = pool;\n';
    expect(await restricted(code, "app/(app)/probe/page.tsx")).toHaveLength(1);
    expect(await restricted('import pg from "pg";\nexport const p = pg;\n', "app/(app)/probe/layout.tsx")).toHaveLength(1);
    expect(await restricted(code, "app/api/v1/probe/route.ts")).toEqual([]);
  });

  it("covers every page: no page is exempt", async () => {
    const code = 'import { db, pool } from "@/lib/db/client";\nexport const p = [db, pool];\n';
    for (const page of [
      "app/(app)/coverage/[week]/page.tsx",
      "app/(app)/endpoints/[id]/page.tsx",
      "app/(app)/releases/page.tsx",
      "app/(app)/review/[week]/page.tsx",
      "app/(app)/settings/api-keys/page.tsx",
      "app/(app)/settings/gpu/page.tsx",
    ]) {
      expect(await restricted(code, page), page).toEqual([expect.stringContaining("Only lib/ (and route handlers) reach the database")]);
    }
  });

  it("lets each layer import what it may", async () => {
    expect(await restricted('import { formatUsd } from "@/lib/format";\nexport const f = formatUsd;\n', "components/x/probe.tsx")).toEqual([]);
    expect(await restricted('import { pool } from "@/lib/db/client";\nexport const p = pool;\n', "lib/x/probe.ts")).toEqual([]);
    expect(await restricted('import { Card } from "@/components/ui/card";\nexport const c = Card;\n', "app/(app)/probe/page.tsx")).toEqual([]);
  });
});
