// COPY … FROM STDIN with the plain `pg` client (pg-copy-streams is not a dependency): a Submittable that
// the client runs like any query. It sends the COPY statement, and when the server answers CopyInResponse
// streams the chunks of an async iterable as CopyData messages, waiting for the socket to drain whenever
// its buffer is full, then CopyDone (or CopyFail when the source throws). The row count comes from the
// CommandComplete tag ("COPY 1000000"); errors the server reports arrive through handleError.
import type pg from "pg";

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
    private readonly source: AsyncIterable<Buffer>,
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

  handleError(err: Error): void {
    this.error ??= err;
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
export async function copyFrom(client: pg.Client | pg.PoolClient, statement: string, source: AsyncIterable<Buffer>): Promise<number> {
  if (!/^\s*COPY\b[\s\S]*\bFROM\s+STDIN\b/i.test(statement)) throw new Error(`not a COPY … FROM STDIN statement: ${statement}`);
  const copy = new CopyFromStdin(statement, source);
  (client as unknown as { query: (q: unknown) => void }).query(copy);
  return copy.promise;
}

/** One value in COPY's text format: \N for NULL; backslash, tab, newline and carriage return escaped. */
export function copyText(value: string | null): string {
  if (value === null) return "\\N";
  return /[\\\t\n\r]/.test(value) ? value.replace(/[\\\t\n\r]/g, (c) => (c === "\\" ? "\\\\" : c === "\t" ? "\\t" : c === "\n" ? "\\n" : "\\r")) : value;
}

/** One row in COPY's text format, newline-terminated. */
export function copyLine(values: readonly (string | null)[]): string {
  return values.map(copyText).join("\t") + "\n";
}
