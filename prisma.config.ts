// Prisma CLI configuration. Only `prisma generate` is used at install time; migrations are
// plain SQL applied by lib/db/migrate.ts, so the CLI never needs its native engines here.
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: {
    url: process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres",
  },
});
