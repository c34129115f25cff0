// Opens the database for a command-line process: the PostgreSQL server in DATABASE_URL, or the
// embedded database (through the running app's embedded server when there is one, else directly).
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { createHandles, setHandles, closeDb } from "@/lib/db/client";
import { startEmbedded, type EmbeddedDb } from "@/lib/db/embedded";
import { dataDir, env } from "@/lib/env";

export type Connection = { url: string; embedded: boolean; close: () => Promise<void> };

export const embeddedInfoFile = () => path.join(dataDir(), "embedded.json");
export const embeddedDataDir = () => path.join(dataDir(), "pglite");

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The embedded server another process (the running app) already serves, if any. */
export function runningEmbedded(): { pid: number; port: number; url: string } | null {
  const file = embeddedInfoFile();
  if (!existsSync(file)) return null;
  try {
    const info = JSON.parse(readFileSync(file, "utf8")) as { pid: number; port: number; url: string };
    return alive(info.pid) ? info : null;
  } catch {
    return null;
  }
}

export async function connect(): Promise<Connection> {
  const url = env().DATABASE_URL;
  if (url) {
    setHandles(createHandles(url));
    return { url, embedded: false, close: closeDb };
  }
  process.env.COST_REVIEW_EMBEDDED = "1";
  const running = runningEmbedded();
  let own: EmbeddedDb | undefined;
  const target = running?.url ?? (own = await startEmbedded(embeddedDataDir())).url;
  setHandles(createHandles(target, 4));
  return {
    url: target,
    embedded: true,
    close: async () => {
      await closeDb();
      await own?.stop();
    },
  };
}
