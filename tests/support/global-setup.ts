// Integration suite: one database (PostgreSQL server or embedded) and one running app for all files.
import type { TestProject } from "vitest/node";
import "vitest";
import { createTestDatabase } from "./database";
import { startServer } from "./server";

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
    databaseUrl: string;
    databaseKind: string;
  }
}

export default async function setup(project: TestProject) {
  const db = await createTestDatabase("suite");
  const port = 3200 + Math.floor(Math.random() * 500);
  const server = await startServer({ databaseUrl: db.url, port });
  project.provide("baseUrl", server.url);
  project.provide("databaseUrl", db.url);
  project.provide("databaseKind", db.kind);
  console.log(`integration suite: app at ${server.url} on the ${db.kind} database`);
  return async () => {
    await server.stop();
    await db.drop();
  };
}
