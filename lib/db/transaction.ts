// The one way to run a transaction, for raw SQL and Prisma alike. withTransaction takes a connection
// from the pool, runs BEGIN, hands the callback a Tx and COMMITs, or ROLLs BACK when the callback throws.
// A Tx is the transaction's pg client (raw SQL: tx.query, and any lib/ function that takes a Db), and
// tx.prisma is a Prisma client bound to that same connection, so Prisma queries, raw SQL and the audit
// entry they write (lib/audit/record-audit.ts) commit or roll back together.
import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient, type Prisma } from "@/lib/generated/prisma/client";
import { pool, type Db } from "@/lib/db/client";

/** A transaction: its pg client, plus `prisma` for Prisma queries on the same connection. */
export type Tx = pg.PoolClient & { readonly prisma: Prisma.TransactionClient };

export type TransactionOptions = {
  /** The pool to take a connection from (default: the app's), or a client the caller holds (and releases). */
  db?: Db;
  isolation?: "repeatable read" | "serializable";
  readOnly?: boolean;
  /** Roll back even when the callback succeeds (a dry run). */
  rollback?: boolean;
  /**
   * Read what another open transaction reads: the id its `pg_export_snapshot()` returned (with isolation
   * "repeatable read"). PostgreSQL servers only; the embedded one runs one transaction at a time.
   */
  snapshot?: string;
};

const isClient = (db: Db): db is pg.PoolClient => typeof (db as pg.PoolClient).release === "function";

/**
 * A pg.Pool that is one connection already inside a transaction: what the Prisma adapter is given, so
 * every Prisma query runs on that connection. A Prisma $transaction (or a write Prisma would wrap in
 * one) would need a second connection, outside this transaction: refused loudly.
 */
class TransactionConnection extends pg.Pool {
  constructor(private readonly client: pg.PoolClient) {
    super({ max: 1 });
  }
  override query = ((...args: unknown[]) => (this.client.query as (...a: unknown[]) => unknown).apply(this.client, args)) as pg.Pool["query"];
  override connect = (() =>
    Promise.reject(new Error("Prisma tried to open its own transaction inside withTransaction: run the queries one by one on tx.prisma."))) as pg.Pool["connect"];
}

// One Prisma client per pooled connection, made on first use: connections are reused, and so is it.
const bound = new WeakMap<pg.PoolClient, Prisma.TransactionClient>();
const open = new WeakSet<pg.PoolClient>();

function prismaOn(client: pg.PoolClient): Prisma.TransactionClient {
  let p = bound.get(client);
  if (!p) {
    p = new PrismaClient({ adapter: new PrismaPg(new TransactionConnection(client)) });
    bound.set(client, p);
  }
  return p;
}

function asTx(client: pg.PoolClient): Tx {
  if (!Object.prototype.hasOwnProperty.call(client, "prisma")) {
    Object.defineProperty(client, "prisma", { get: () => prismaOn(client), enumerable: false });
  }
  return client as Tx;
}

async function run<T>(client: pg.PoolClient, fn: (tx: Tx) => Promise<T>, o: TransactionOptions): Promise<T> {
  const modes = [o.isolation ? `ISOLATION LEVEL ${o.isolation.toUpperCase()}` : "", o.readOnly ? "READ ONLY" : ""].filter(Boolean).join(" ");
  await client.query(modes ? `BEGIN ${modes}` : "BEGIN");
  open.add(client);
  try {
    if (o.snapshot !== undefined) {
      // Not a parameter in PostgreSQL's grammar: a literal, so only what pg_export_snapshot() returns.
      if (!/^[0-9A-F]+-[0-9A-F]+-[0-9]+$/i.test(o.snapshot)) throw new Error(`not a snapshot id: ${o.snapshot}`);
      await client.query(`SET TRANSACTION SNAPSHOT '${o.snapshot}'`);
    }
    const result = await fn(asTx(client));
    await client.query(o.rollback ? "ROLLBACK" : "COMMIT");
    return result;
  } catch (err) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw err;
  } finally {
    open.delete(client);
  }
}

/**
 * Runs `fn` in one transaction and returns its result. Given the Tx of a transaction already open (a
 * lib/ function called with a Tx as its Db), `fn` joins that transaction instead of opening another.
 */
export async function withTransaction<T>(fn: (tx: Tx) => Promise<T>, opts: TransactionOptions = {}): Promise<T> {
  const db = opts.db ?? pool();
  if (isClient(db)) return open.has(db) ? fn(asTx(db)) : run(db, fn, opts);
  const client = await db.connect();
  try {
    return await run(client, fn, opts);
  } finally {
    client.release();
  }
}
