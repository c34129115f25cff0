// The lib/ source files the lint tests read: repository-relative paths with "/" (lib/generated left out).
import { readdirSync } from "node:fs";
import path from "node:path";

export const ROOT = path.resolve(import.meta.dirname, "..", "..", "..");

/** Every .ts/.tsx file below lib/, except lib/generated and the folders in `skip` ("lib/db"). */
export function libFiles(skip: readonly string[] = []): string[] {
  const walk = (rel: string): string[] =>
    readdirSync(path.join(ROOT, rel), { withFileTypes: true }).flatMap((e) => {
      const p = `${rel}/${e.name}`;
      if (e.isDirectory()) return p === "lib/generated" || skip.includes(p) ? [] : walk(p);
      return /\.tsx?$/.test(e.name) ? [p] : [];
    });
  return walk("lib");
}
