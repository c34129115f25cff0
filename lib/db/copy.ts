// COPY … FROM STDIN with the plain `pg` client (pg-copy-streams is not a dependency): a Submittable that
// the client runs like any query. It sends the COPY statement, and when the server answers CopyInResponse
// streams the chunks of an (async) iterable as CopyData messages, waiting for the socket to drain whenever
// its buffer is full, then CopyDone (or CopyFail when the source throws). The row count comes from the
// CommandComplete tag ("COPY 1000000"); an error the server reports rejects the promise with the server's
// SQLSTATE in `code`, as for any query, and the connection is usable again for ROLLBACK.
//
// Used by the ingest fast path and by the benchmark's baseline. The embedded PGlite server does not speak
// the copy sub-protocol: supportsCopyFrom() says whether a pool's server does.
import type pg from "pg";
import { serverTraits } from "@/lib/db/server";

/** The parts of pg's internal Connection that the copy sub-protocol needs. */
type Connection = {
  query(text: string): void;
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
  sendCopyFail(message: string): void;
  stream: NodeJS.WritableStream & { writableNeedDrain?: boolean };
};

class CopyFromStdin {
  private error: Error | null = null;
  private rowCount = 0;
  private done!: { resolve: (n: number) => void; reject: (e: Error) => void };
  readonly promise: Promise<number>;

  constructor(
    readonly text: string,
    private readonly source: AsyncIterable<Buffer> | Iterable<Buffer>,
  ) {
    this.promise = new Promise<number>((resolve, reject) => (this.done = { resolve, reject }));
  }

  // Called by the pg client when it is this query's turn.
  submit(connection: Connection): void {
    connection.query(this.text);
  }

  handleCopyInResponse(connection: Connection): void {
    void this.pump(connection);
  }

  private async pump(connection: Connection): Promise<void> {
    try {
      for await (const chunk of this.source) {
        if (this.error) return; // the server gave up; it ignores the rest of the copy data
        connection.sendCopyFromChunk(chunk);
        if (connection.stream.writableNeedDrain) await new Promise((r) => connection.stream.once("drain", r));
      }
      connection.endCopyFrom();
    } catch (err) {
      this.error ??= err instanceof Error ? err : new Error(String(err));
      connection.sendCopyFail(`client-side source failed: ${this.error.message}`.slice(0, 500));
    }
  }

  handleCommandComplete(msg: { text?: string }): void {
    const m = /^COPY (\d+)/.exec(msg.text ?? "");
    if (m) this.rowCount = Number(m[1]);
  }

  // The client drops its active query on an error (ReadyForQuery is not passed on), so settle here. The
  // server leaves copy mode itself and ignores copy data still in flight; the pump stops sending.
  handleError(err: Error): void {
    this.error ??= err;
    this.done.reject(this.error);
  }

  handleReadyForQuery(): void {
    if (this.error) this.done.reject(this.error);
    else this.done.resolve(this.rowCount);
  }

  // The client may call these for other message types; none are expected during COPY FROM.
  handleCopyData(): void {}
  handleEmptyQuery(): void {}
  handleRowDescription(): void {}
  handleDataRow(): void {}
  handlePortalSuspended(): void {}
}

/** Runs `COPY table (cols) FROM STDIN` on the client, streaming the chunks; resolves to the rows copied. */
export async function copyFrom(client: pg.Client | pg.PoolClient, statement: string, source: AsyncIterable<Buffer> | Iterable<Buffer>): Promise<number> {
  if (!/^\s*COPY\b[\s\S]*\bFROM\s+STDIN\b/i.test(statement)) throw new Error(`not a COPY … FROM STDIN statement: ${statement}`);
  const copy = new CopyFromStdin(statement, source);
  (client as unknown as { query: (q: unknown) => void }).query(copy);
  return copy.promise;
}

/** Whether the pool's server takes COPY … FROM STDIN (PostgreSQL does; the embedded PGlite server does not). Asked once per pool. */
export async function supportsCopyFrom(pool: pg.Pool): Promise<boolean> {
  return !(await serverTraits(pool)).embedded;
}

/** One value in COPY's text format: \N for NULL; backslash, tab, newline and carriage return escaped. */
export function copyText(value: string | null | undefined): string {
  if (value === null || value === undefined) return "\\N";
  return NEEDS_ESCAPE.test(value) ? value.replace(ESCAPED, escapeChar) : value;
}

const NEEDS_ESCAPE = /[\\\t\n\r]/;
const ESCAPED = /[\\\t\n\r]/g;
const escapeChar = (c: string) => (c === "\\" ? "\\\\" : c === "\t" ? "\\t" : c === "\n" ? "\\n" : "\\r");

/**
 * COPY text written line by line straight into a growing buffer: cheaper than building one long string
 * and encoding it at the end, which flattens every concatenation first.
 */
export class CopyBuffer {
  private buf: Buffer;
  private length = 0;

  constructor(expectedBytes = 64 * 1024) {
    this.buf = Buffer.allocUnsafe(Math.max(1024, expectedBytes));
  }

  /** Appends one row (its values already in COPY text, tab-separated) and the newline. */
  line(text: string): void {
    const worst = text.length * 3 + 1; // UTF-8 takes at most 3 bytes per UTF-16 code unit
    if (this.length + worst > this.buf.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.length + worst));
      this.buf.copy(grown, 0, 0, this.length);
      this.buf = grown;
    }
    this.length += this.buf.write(text, this.length, "utf8");
    this.buf[this.length++] = 10;
  }

  bytes(): Buffer {
    return this.buf.subarray(0, this.length);
  }
}

/** One row in COPY's text format, newline-terminated. */
export function copyLine(values: readonly (string | null)[]): string {
  return values.map(copyText).join("\t") + "\n";
}
