// The database handles: one pg pool per process, shared by the Prisma client (transactional work)
// and by raw SQL (bulk and aggregate queries). Works the same on PostgreSQL and embedded PGlite.
import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { env } from "@/lib/env";

export type Handles = { pool: pg.Pool; prisma: PrismaClient };

/**
 * The database handle lib/ functions take, as their first parameter: the pool, or the client of a
 * transaction (a Tx from lib/db/transaction.ts). Raw SQL runs on it with db.query.
 */
export type Db = pg.Pool | pg.PoolClient;

const g = globalThis as unknown as { __costReviewDb?: Handles };

export function createHandles(connectionString: string, max?: number): Handles {
  const e = env();
  // The embedded server runs one statement at a time anyway; a few connections are enough there.
  const poolMax = max ?? e.DATABASE_POOL_MAX ?? (e.COST_REVIEW_EMBEDDED === "1" ? 4 : 10);
  const pool = new pg.Pool({ connectionString, max: poolMax, idleTimeoutMillis: 30_000 });
  pool.on("error", (err) => console.error("database pool error:", err.message));
  // No JIT: PostgreSQL compiles the plan of a costly aggregate (the customer list over tens of thousands of
  // customers) for longer than it runs; measured on that list at 1M events: 1.2 s with JIT, 0.45 s without.
  // Pages want answers in milliseconds, not compiled plans. (Where the setting does not exist, nothing changes.)
  pool.on("connect", (client) => void client.query("SET jit = off").catch(() => undefined));
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  return { pool, prisma };
}

function handles(): Handles {
  if (!g.__costReviewDb) {
    const url = env().DATABASE_URL;
    if (!url) {
      throw new Error(
        "DATABASE_URL is not set. Start the app with `npm start` (which runs the embedded database) " +
          "or set DATABASE_URL=postgres://… for a PostgreSQL server.",
      );
    }
    g.__costReviewDb = createHandles(url);
  }
  return g.__costReviewDb;
}

export function db(): PrismaClient {
  return handles().prisma;
}

export function pool(): pg.Pool {
  return handles().pool;
}

/** Use these handles for the rest of this process (CLI and tests that manage their own database). */
export function setHandles(h: Handles): void {
  g.__costReviewDb = h;
}

export async function closeDb(): Promise<void> {
  const h = g.__costReviewDb;
  g.__costReviewDb = undefined;
  if (h) {
    await h.prisma.$disconnect();
    await h.pool.end().catch(() => undefined);
  }
}
