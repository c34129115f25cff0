// The app's route handlers and pages as their files name them, found by walking app/: the tests that
// must cover every route (authorization, fuzz) list them from here, so a route added later is covered.
import { readdirSync, statSync } from "node:fs";
import path from "node:path";

export const root = path.resolve(import.meta.dirname, "..", "..");

export function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

/** app/(app)/settings/page.tsx -> /settings ; app/api/v1/users/[id]/route.ts -> /api/v1/users/[id] */
export function routeOf(file: string): string {
  const rel = path.relative(path.join(root, "app"), path.dirname(file)).split(path.sep);
  return "/" + rel.filter((s) => s && !/^\(.*\)$/.test(s)).join("/");
}

export function exportedMethods(source: string): string[] {
  const methods = new Set<string>();
  for (const m of source.matchAll(/export\s+(?:const|async function|function)\s+(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\b/g)) methods.add(m[1]!);
  for (const m of source.matchAll(/export\s*{([^}]*)}/g)) {
    for (const part of m[1]!.split(",")) {
      const name = part.split(/\s+as\s+/).pop()!.trim();
      if (/^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)$/.test(name)) methods.add(name);
    }
  }
  return [...methods];
}

export function routeFiles(): string[] {
  return walk(path.join(root, "app"))
    .filter((f) => /[\\/]route\.ts$/.test(f))
    .sort();
}
