// The embedded database: PGlite (PostgreSQL compiled to WebAssembly) persisted in a directory and
// served on a loopback port with the PostgreSQL wire protocol, so the app, the CLI and migrations
// all talk to it exactly as they talk to a PostgreSQL server.
import { mkdirSync } from "node:fs";
import type { AddressInfo, Server } from "node:net";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";

export type EmbeddedDb = { url: string; port: number; stop: () => Promise<void> };

// Extended-protocol messages that belong to one batch ending in Sync ('S').
const EXTENDED = new Set([0x50 /*P*/, 0x42 /*B*/, 0x44 /*D*/, 0x45 /*E*/, 0x43 /*C*/, 0x48 /*H*/]);

type QueueItem = {
  handlerId: number;
  message: Uint8Array;
  onData: (d: Uint8Array) => void;
  resolve: (n: number) => void;
  reject: (e: unknown) => void;
};
type Queue = {
  queue: QueueItem[];
  processing: boolean;
  lastHandlerId: number | null;
  db: PGlite;
  processQueue: () => Promise<void>;
  clearTransactionIfNeeded: (id: number) => Promise<void>;
};

/**
 * pglite-socket runs one message at a time from any connection, and keeps a connection exclusive only
 * inside a transaction. Two clients' Parse/Bind/Execute messages can therefore interleave and corrupt
 * each other's unnamed statements. Keep a connection exclusive until its batch's Sync as well.
 */
function makeBatchesAtomic(q: Queue): void {
  let midBatch = false;
  q.processQueue = async function processQueue(this: Queue) {
    if (this.processing || this.queue.length === 0) return;
    this.processing = true;
    try {
      while (this.queue.length > 0) {
        let item: QueueItem | undefined;
        if ((midBatch || this.db.isInTransaction()) && this.lastHandlerId !== null) {
          const idx = this.queue.findIndex((r) => r.handlerId === this.lastHandlerId);
          if (idx === -1) break; // wait for the rest of that connection's batch
          item = this.queue.splice(idx, 1)[0];
        } else {
          item = this.queue.shift();
        }
        if (!item) break;
        const current = item;
        let bytes = 0;
        try {
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(current.message, {
              onRawData: (d: Uint8Array) => {
                bytes += d.length;
                current.onData(d);
              },
            }),
          );
        } catch (err) {
          midBatch = false;
          current.reject(err);
          continue;
        }
        midBatch = EXTENDED.has(current.message[0] ?? 0);
        this.lastHandlerId = current.handlerId;
        current.resolve(bytes);
      }
    } finally {
      this.processing = false;
    }
  };
  const clear = q.clearTransactionIfNeeded.bind(q);
  q.clearTransactionIfNeeded = async (id: number) => {
    if (q.lastHandlerId === id) midBatch = false;
    await clear(id);
    await q.processQueue();
  };
}

/** Opens (or creates) the data directory and serves it on 127.0.0.1:<port> (0 picks a free port). */
export async function startEmbedded(dir: string, port = 0): Promise<EmbeddedDb> {
  if (dir !== "memory://") mkdirSync(dir, { recursive: true });
  const pglite = await PGlite.create(dir);
  const server = new PGLiteSocketServer({ db: pglite, port, host: "127.0.0.1", maxConnections: 64 });
  makeBatchesAtomic((server as unknown as { queryQueue: Queue }).queryQueue);
  await server.start();
  const net = (server as unknown as { server: Server }).server;
  const actual = (net.address() as AddressInfo).port;
  return {
    port: actual,
    url: `postgresql://postgres:postgres@127.0.0.1:${actual}/postgres`,
    stop: async () => {
      await server.stop();
      await pglite.close();
    },
  };
}
