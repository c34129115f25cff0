// `npm run db:check`: applies the SQL migrations to an empty in-memory embedded database, introspects
// it and compares it with prisma/schema.prisma (lib/db/schema-drift.ts). Exits 1 on any disagreement.
//   npm run db:check [-- --schema path/to/schema.prisma]
import { readFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { startEmbedded } from "@/lib/db/embedded";
import { migrate } from "@/lib/db/migrate";
import { compareSchemas, introspect, parsePrismaSchema } from "@/lib/db/schema-drift";

async function main(): Promise<number> {
  const at = process.argv.indexOf("--schema");
  const schemaPath = at >= 0 ? path.resolve(process.argv[at + 1] ?? "") : path.resolve(import.meta.dirname, "..", "prisma", "schema.prisma");
  const prisma = parsePrismaSchema(readFileSync(schemaPath, "utf8"));
  const shown = path.relative(process.cwd(), schemaPath).startsWith("..") ? schemaPath : path.relative(process.cwd(), schemaPath);
  const db = await startEmbedded("memory://");
  const pool = new pg.Pool({ connectionString: db.url, max: 1 });
  try {
    const applied = await migrate(pool);
    const problems = compareSchemas(prisma, await introspect(pool));
    if (problems.length === 0) {
      console.log(`db:check: ${shown} agrees with the ${applied.length} migrations (${prisma.models.length} models, ${prisma.enums.length} enums).`);
      return 0;
    }
    console.error(`db:check: ${shown} and the migrations disagree (${problems.length}):`);
    for (const p of problems) console.error(`  - ${p}`);
    return 1;
  } finally {
    await pool.end();
    await db.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`db:check failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(2);
  },
);
