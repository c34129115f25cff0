// The `cost-review` command line: start the app, migrate, seed, manage users and API keys, load event files.
import { parseArgs, type ParseArgsConfig } from "node:util";
import { ZodError } from "zod";
import { ingestCommand } from "@/cli/ingest";
import { releaseCommand } from "@/cli/release";
import { gateCommand } from "@/cli/gate";
import { whatifCommand } from "@/cli/whatif";
import { qualityCommand } from "@/cli/quality";
import { start } from "@/cli/start";
import { connect } from "@/lib/db/connect";
import { pool, db } from "@/lib/db/client";
import { migrate, migrationStatus } from "@/lib/db/migrate";
import { detectDemoIncidents, isEmpty, seedDemo, seedDemoEvents } from "@/lib/demo/seed";
import { ensureBuiltInPrices } from "@/lib/pricing/load-prices";
import { refreshRollups } from "@/lib/rollups/refresh-rollups";
import { seedDemoRevenue } from "@/lib/demo/generate-revenue";
import { createUserSchema } from "@/lib/users/schemas";
import { createUser, listUsers } from "@/lib/users/users";
import { createApiKey } from "@/lib/auth/api-keys";
import { AppError } from "@/lib/errors";
import { env } from "@/lib/env";
import { providerCostsCommand } from "@/cli/provider-costs";
import { revenueCommand } from "@/cli/revenue";
import { digestCommand } from "@/cli/digest";
import { randomBytes } from "node:crypto";

const CLI_ACTOR = { label: "cli" };

const HELP = `Usage: cost-review <command> [options]

Commands:
  start [--port 3000] [--host 127.0.0.1] [--dev] [--no-build]
                          Build if needed, migrate, seed the demo on first start, serve the app
  migrate [--status]      Apply pending database migrations (or list their state)
  seed                    Seed the demo organisation into an empty database
  user create --email E --name N --role admin|owner|finance|viewer [--password P]
                          Create a user (a password is generated and printed when omitted)
  user list               List users and roles
  apikey create --scope ingest|admin --name N
                          Create an API key; it is printed once and only its hash is stored
  apikey list             List API keys (prefix, scope, last use)
  ingest FILE [--url URL --key KEY] [--batch 1000] [--format csv|ndjson]
                          Load cost events from a CSV or NDJSON file (.csv, .ndjson, .jsonl).
                          With --url, post them to the app at URL with an ingest key (or set
                          COST_REVIEW_API_KEY), retrying 429, 5xx and lost connections; without,
                          write them to the database directly. Re-running is safe: rows already
                          stored count as duplicates. Prints rejected rows with their line numbers
                          and exits 1 when any row was rejected.
                          CSV header (any order; id and timestamp required): id,timestamp,requestId,
                          endpoint,feature,team,cohort,customerId,kind,provider,model,inputTokens,
                          cacheReadTokens,cacheWriteTokens,cacheWrite1hTokens,outputTokens,
                          reasoningTokens,toolOutputTokens,costUsd,status,attempt,latencyMs,pool,
                          gpuSeconds
  release --version V --title T [--endpoint E]... [--feature F]... [--shipped-at TIME]
          [--description D] [--author A] [--link URL] [--external-id ID] [--url URL --key KEY]
                          Record a release (endpoints and features may also be comma-separated).
                          With --url, post it to the app at URL with an ingest or admin key (or
                          COST_REVIEW_API_KEY); without, write it to the database directly.
                          --shipped-at defaults to now. With --external-id, running the command
                          again (a re-run deploy) records nothing new.
  provider-costs import FILE [--provider openai|anthropic]
                          Import a provider's own cost report: the JSON its API returned (OpenAI's
                          organisation Costs API, Anthropic's Admin API cost report), one page, an
                          array of pages, or {"provider", "pages"}. The days it covers replace what
                          was stored for them, so importing again never doubles.
  provider-costs pull --provider openai|anthropic --from YYYY-MM-DD --to YYYY-MM-DD
                          Pull and import that report for the UTC days from … to (exclusive) with
                          OPENAI_ADMIN_KEY / ANTHROPIC_ADMIN_KEY, every page, retrying 429 and 5xx.
  revenue import FILE.csv
                          Import monthly revenue per customer from a CSV with the header
                          month,customer_id,amount_usd and optionally feature (customerId and
                          amountUsd also work). A row replaces the one for the same month,
                          customer and feature; a refused row is named by its line; revenue of a
                          closed month is refused. Customer ids no event names are listed as a warning.
  quality FILE [--url URL --key KEY]
                          Load daily quality metrics from a CSV with the header
                          day,endpoint,cohort,metric,value,samples (or successes instead of value);
                          re-loading a day replaces it. Exits 1 when any row was rejected.
  gate --endpoint SLUG --since TIME [--cohort C] [--min-requests 30] [--url URL --key KEY]
                          The release gate: cost per request since TIME against the endpoint's
                          ceiling and p95 latency against its budget. Exits 0 on pass (also when
                          too few requests to judge, with a warning), 1 on fail or error.
                          --url/--key default to COST_REVIEW_URL / COST_REVIEW_API_KEY.
  whatif --endpoint SLUG --candidate JSON [--candidate JSON …] [--from D --to D] [--cohort C]
         [--customer ID] [--growth 1.5] [--json] [--url URL --key KEY]
  whatif --scenario FILE [--json] [--url URL --key KEY]
                          Replay the endpoint's past window (default: the last complete week) under
                          each candidate ({"provider","model"}, {"serviceTier"}, token shifts or
                          {"selfHosted":{…}}) and print the comparison with the actual. Exits 1 when
                          the app refused the scenario (the fields to fix are printed).
  digest [--week 2026-W47] [--dry-run]
                          The weekly digest of a week (default: the last complete week in the
                          organisation's time zone). --dry-run prints it as Markdown; without, it is
                          enqueued now for the people who attend (email), Slack channels and webhooks;
                          a recipient already sent that week's digest is skipped.

Database: DATABASE_URL=postgres://… for a server; unset, the embedded database in .data/.`;

async function withDb<T>(fn: () => Promise<T>): Promise<T> {
  const conn = await connect();
  try {
    return await fn();
  } finally {
    await conn.close();
  }
}

async function main(argv: string[]): Promise<number> {
  const [command, sub, ...rest] = argv;
  const args = (options: NonNullable<ParseArgsConfig["options"]>, list: string[]) =>
    parseArgs({ args: list, options, allowPositionals: true, strict: true }).values as Record<string, string | boolean | undefined>;

  switch (command) {
    case "start": {
      const v = args(
        { port: { type: "string" }, host: { type: "string" }, dev: { type: "boolean" }, "no-build": { type: "boolean" } },
        argv.slice(1),
      );
      const port = v.port ? Number(v.port) : env().PORT;
      const host = typeof v.host === "string" ? v.host : env().HOST;
      await start({ port, host, dev: v.dev === true, build: v["no-build"] !== true });
      return -1; // keeps running
    }
    case "migrate": {
      const v = args({ status: { type: "boolean" } }, argv.slice(1));
      return withDb(async () => {
        if (v.status) {
          const s = await migrationStatus(pool());
          console.log(`applied: ${s.applied.join(", ") || "none"}\npending: ${s.pending.join(", ") || "none"}`);
          if (s.drifted.length) console.log(`changed after applying: ${s.drifted.join(", ")}`);
          return s.pending.length || s.drifted.length ? 1 : 0;
        }
        const applied = await migrate(pool());
        console.log(applied.length ? `Applied: ${applied.join(", ")}` : "The database is up to date.");
        return 0;
      });
    }
    case "seed":
      return withDb(async () => {
        await migrate(pool());
        if (!(await isEmpty(db()))) {
          console.error("The database already has users; the demo is only seeded into an empty database.");
          return 1;
        }
        await ensureBuiltInPrices(pool());
        const r = await seedDemo();
        const n = await seedDemoEvents(pool());
        await refreshRollups(pool(), { full: true });
        await seedDemoRevenue(pool());
        await detectDemoIncidents(pool());
        console.log(`Stored ${n} demo cost events.`);
        console.log(`Seeded the demo organisation. Sign in as ${r.users.map((u) => u.email).join(", ")} with password ${r.password}`);
        return 0;
      });
    case "user": {
      if (sub === "create") {
        const v = args(
          { email: { type: "string" }, name: { type: "string" }, role: { type: "string" }, password: { type: "string" } },
          rest,
        );
        const generated = v.password ? undefined : randomBytes(12).toString("base64url");
        const input = createUserSchema.parse({ email: v.email, name: v.name, role: v.role, password: v.password ?? generated });
        return withDb(async () => {
          const u = await createUser(input, CLI_ACTOR);
          console.log(`Created ${u.role} ${u.email}${generated ? `\nPassword (shown once): ${generated}` : ""}`);
          return 0;
        });
      }
      if (sub === "list") {
        return withDb(async () => {
          for (const u of await listUsers()) console.log(`${u.role.padEnd(8)} ${u.email.padEnd(32)} ${u.name}${u.disabled ? " (disabled)" : ""}`);
          return 0;
        });
      }
      break;
    }
    case "apikey": {
      if (sub === "create") {
        const v = args({ scope: { type: "string" }, name: { type: "string" } }, rest);
        if (v.scope !== "ingest" && v.scope !== "admin") throw new AppError("usage", 2, "--scope must be ingest or admin");
        const scope = v.scope;
        const name = typeof v.name === "string" && v.name.trim() ? v.name.trim() : `${scope} key`;
        return withDb(async () => {
          const k = await createApiKey({ name, scope }, CLI_ACTOR);
          console.log(`Created ${scope} key '${name}' (${k.prefix}…). It is shown only this once:\n${k.key}`);
          return 0;
        });
      }
      if (sub === "list") {
        return withDb(async () => {
          const keys = await db().apiKey.findMany({ orderBy: { createdAt: "asc" } });
          for (const k of keys) {
            const state = k.revokedAt ? "revoked" : `last used ${k.lastUsedAt?.toISOString() ?? "never"}`;
            console.log(`${k.scope.padEnd(7)} ${k.prefix}…  ${k.name}  (${state})`);
          }
          return 0;
        });
      }
      break;
    }
    case "ingest": {
      const parsed = parseArgs({
        args: argv.slice(1),
        options: { url: { type: "string" }, key: { type: "string" }, batch: { type: "string" }, format: { type: "string" } },
        allowPositionals: true,
        strict: true,
      });
      const [file, ...extra] = parsed.positionals;
      if (!file || extra.length) throw new AppError("usage", 2, "ingest takes one FILE: cost-review ingest events.csv [--url URL --key KEY]");
      const v = parsed.values;
      return ingestCommand({ file, url: v.url, key: v.key, batch: v.batch, format: v.format });
    }
    case "provider-costs": {
      const parsed = parseArgs({
        args: argv.slice(2),
        options: { provider: { type: "string" }, from: { type: "string" }, to: { type: "string" } },
        allowPositionals: true,
        strict: true,
      });
      return withDb(() => providerCostsCommand(sub, parsed.positionals, parsed.values, CLI_ACTOR));
    }
    case "revenue": {
      const parsed = parseArgs({ args: argv.slice(2), options: {}, allowPositionals: true, strict: true });
      return withDb(() => revenueCommand(sub, parsed.positionals, CLI_ACTOR));
    }
    case "release": {
      const v = args(
        {
          version: { type: "string" },
          title: { type: "string" },
          description: { type: "string" },
          "shipped-at": { type: "string" },
          endpoint: { type: "string", multiple: true },
          feature: { type: "string", multiple: true },
          author: { type: "string" },
          link: { type: "string" },
          "external-id": { type: "string" },
          url: { type: "string" },
          key: { type: "string" },
        },
        argv.slice(1),
      ) as Record<string, string | string[] | undefined>;
      const str = (k: string) => (typeof v[k] === "string" ? (v[k] as string) : undefined);
      const list = (k: string) => (Array.isArray(v[k]) ? (v[k] as string[]) : undefined);
      return releaseCommand({
        version: str("version"),
        title: str("title"),
        description: str("description"),
        shippedAt: str("shipped-at"),
        endpoint: list("endpoint"),
        feature: list("feature"),
        author: str("author"),
        link: str("link"),
        externalId: str("external-id"),
        url: str("url"),
        key: str("key"),
      });
    }
    case "quality": {
      const parsed = parseArgs({ args: argv.slice(1), options: { url: { type: "string" }, key: { type: "string" } }, allowPositionals: true, strict: true });
      const [file, ...extra] = parsed.positionals;
      if (!file || extra.length) throw new AppError("usage", 2, "quality takes one FILE: cost-review quality quality.csv [--url URL --key KEY]");
      return qualityCommand({ file, url: parsed.values.url, key: parsed.values.key });
    }
    case "gate": {
      const v = args(
        {
          endpoint: { type: "string" },
          since: { type: "string" },
          cohort: { type: "string" },
          "min-requests": { type: "string" },
          url: { type: "string" },
          key: { type: "string" },
        },
        argv.slice(1),
      );
      const str = (x: string | boolean | undefined) => (typeof x === "string" ? x : undefined);
      return gateCommand({
        endpoint: str(v.endpoint),
        since: str(v.since),
        cohort: str(v.cohort),
        minRequests: str(v["min-requests"]),
        url: str(v.url),
        key: str(v.key),
      });
    }
    case "whatif": {
      const v = parseArgs({
        args: argv.slice(1),
        options: {
          scenario: { type: "string" },
          endpoint: { type: "string" },
          cohort: { type: "string" },
          customer: { type: "string" },
          from: { type: "string" },
          to: { type: "string" },
          growth: { type: "string" },
          candidate: { type: "string", multiple: true },
          json: { type: "boolean" },
          url: { type: "string" },
          key: { type: "string" },
        },
        strict: true,
      }).values;
      return whatifCommand({ ...v, candidates: v.candidate ?? [], json: v.json === true });
    }
    case "digest": {
      const v = args({ week: { type: "string" }, "dry-run": { type: "boolean" } }, argv.slice(1));
      return withDb(() => digestCommand({ week: typeof v.week === "string" ? v.week : undefined, dryRun: v["dry-run"] === true }));
    }
    case undefined:
    case "help":
    case "--help":
    case "-h":
      console.log(HELP);
      return 0;
  }
  console.error(`Unknown command: ${argv.join(" ")}\n\n${HELP}`);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (err: unknown) => {
    if (err instanceof ZodError) {
      console.error(err.issues.map((i) => `error: ${i.path.join(".") || "input"}: ${i.message}`).join("\n"));
    } else if (err instanceof AppError) {
      console.error(`error: ${err.message}`);
      if (err.code === "usage") process.exit(2);
    } else if (err instanceof Error && err.name === "TypeError" && "code" in err && String(err.code).startsWith("ERR_PARSE_ARGS")) {
      console.error(`error: ${err.message}\n\n${HELP}`);
      process.exit(2);
    } else {
      console.error(err instanceof Error ? `error: ${err.message}` : err);
    }
    process.exit(1);
  },
);
