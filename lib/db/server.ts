// What the server behind a pool is, asked once per pool: the embedded PGlite server (no COPY FROM STDIN,
// one transaction at a time) or a PostgreSQL server, and whether that server is a Citus coordinator.
import type pg from "pg";

export type ServerTraits = {
  /** The embedded PGlite server. */
  embedded: boolean;
  /** The citus extension is installed (the event store may be distributed across workers). */
  citus: boolean;
};

const known = new WeakMap<pg.Pool, Promise<ServerTraits>>();

/** The server's traits; when the question fails (a connection error), assumed the most limited, and asked again next time. */
export function serverTraits(pool: pg.Pool): Promise<ServerTraits> {
  let traits = known.get(pool);
  if (!traits) {
    traits = pool
      .query<ServerTraits>(
        "SELECT version() ~* 'pglite' AS embedded, EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus') AS citus",
      )
      .then(
        (r) => r.rows[0] ?? { embedded: true, citus: true },
        () => {
          known.delete(pool);
          return { embedded: true, citus: true };
        },
      );
    known.set(pool, traits);
  }
  return traits;
}
