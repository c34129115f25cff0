// The one place that reads process.env: validated once, with defaults for the embedded mode.
import path from "node:path";
import { z } from "zod";

const role = z.enum(["admin", "owner", "finance", "viewer"]);

const schema = z.object({
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "DATABASE_URL must be a postgres:// or postgresql:// URL")
    .optional(),
  /** Set by the launcher when DATABASE_URL points at its embedded PGlite server. */
  COST_REVIEW_EMBEDDED: z.enum(["0", "1"]).default("0"),
  /** The project directory (set by bin/cost-review.mjs); relative paths resolve against it. */
  COST_REVIEW_ROOT: z.string().optional(),
  COST_REVIEW_DATA_DIR: z.string().default(".data"),
  /** Seed the demo organisation into an empty database: default on for the embedded database only. */
  COST_REVIEW_DEMO: z.enum(["auto", "1", "0"]).default("auto"),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(100).optional(),
  /**
   * The database layout migrations set up (docs/scaling.md): "auto" distributes the event store when the
   * database has the citus extension, "citus" insists on it (a migration fails without the extension),
   * "single" keeps one server's layout even on a Citus coordinator.
   */
  COST_REVIEW_DB_LAYOUT: z.enum(["auto", "citus", "single"]).default("auto"),
  NEXTAUTH_SECRET: z.string().min(16).optional(),
  NEXTAUTH_URL: z.string().url().optional(),
  AUTH_GITHUB_ID: z.string().optional(),
  AUTH_GITHUB_SECRET: z.string().optional(),
  AUTH_OIDC_ISSUER: z.string().url().optional(),
  AUTH_OIDC_CLIENT_ID: z.string().optional(),
  AUTH_OIDC_CLIENT_SECRET: z.string().optional(),
  AUTH_OIDC_NAME: z.string().default("Single sign-on"),
  /** Role given to a first-time single-sign-on user; unset means only existing users may sign in. */
  AUTH_SSO_DEFAULT_ROLE: role.optional(),
  /** Requests per minute per API key on the ingest routes (0 = unlimited). */
  INGEST_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).default(6000),
  /** Largest ingest body in bytes, and most events in one request. */
  INGEST_MAX_BYTES: z.coerce.number().int().min(1024).default(10 * 1024 * 1024),
  INGEST_MAX_EVENTS: z.coerce.number().int().min(1).default(5000),
  /** Test only, and only with COST_REVIEW_TEST_HOOKS=1: the events route waits this long after its
   *  transaction commits and before it answers, so a crash test can kill the app in between. */
  COST_REVIEW_TEST_HOOKS: z.enum(["0", "1"]).default("0"),
  COST_REVIEW_TEST_INGEST_DELAY_AFTER_COMMIT_MS: z.coerce.number().int().min(0).max(60_000).default(0),
  /** How often the app refreshes the review's rollups (seconds; 0 = never, e.g. for a read replica). */
  ROLLUP_INTERVAL_SECONDS: z.coerce.number().int().min(0).default(15),
  /** While this app stores more events per second than this (a burst), rollup refreshes follow it: the next
   *  comes as soon as the last one has rested (twice as long as it took), not after the interval. 0 = never. */
  ROLLUP_FOLLOW_ABOVE_EVENTS_PER_SECOND: z.coerce.number().min(0).default(1000),
  /** While this app stores more events per second than this (a backfill), rollup refreshes wait (0 = never)… */
  ROLLUP_DEFER_ABOVE_EVENTS_PER_SECOND: z.coerce.number().min(0).default(0),
  /** …but never longer than this many seconds after the last refresh. 0 = never wait. */
  ROLLUP_MAX_DEFER_SECONDS: z.coerce.number().int().min(0).default(120),
  /** How often the app looks for notifications to deliver (seconds; 0 = never: this instance sends none). */
  NOTIFY_POLL_SECONDS: z.coerce.number().int().min(0).max(3600).default(5),
  /** How long a claimed notification is held before another instance may take it (seconds; keep it above the 15 s send timeout). */
  NOTIFY_LEASE_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  /** The app's address for `cost-review gate` and `cost-review quality` when --url is not given. */
  COST_REVIEW_URL: z.string().url().optional(),
  /** Cost incidents: hourly cost per request over this many times its 7-day baseline… */
  INCIDENT_FACTOR: z.coerce.number().gt(1).default(1.5),
  /** …for this many consecutive hours… */
  INCIDENT_HOURS: z.coerce.number().int().min(1).max(168).default(3),
  /** …each with at least this many requests. */
  INCIDENT_MIN_REQUESTS: z.coerce.number().int().min(1).default(20),
  /** The API key `cost-review ingest --url` sends when --key is not given. */
  COST_REVIEW_API_KEY: z.string().min(1).optional(),
  /**
   * Behind a reverse proxy that sets X-Forwarded-For/-Host/-Proto: "1" trusts those headers (client address
   * for sign-in limits, host for the cross-site check, https for HSTS). Off by default: a client could forge them.
   */
  TRUST_PROXY: z
    .enum(["0", "1", "false", "true"])
    .default("0")
    .transform((v) => v === "1" || v === "true"),
  /** Sign-in throttle: failed sign-ins per account, and per client address, within the window… */
  SIGNIN_MAX_FAILURES_PER_ACCOUNT: z.coerce.number().int().min(1).default(10),
  SIGNIN_MAX_FAILURES_PER_ADDRESS: z.coerce.number().int().min(1).default(100),
  /** …of this many minutes; reaching a limit locks for the window, doubling with each further lockout. */
  SIGNIN_WINDOW_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(15),
  /** Admin keys for pulling the providers' own cost reports (Finance → provider costs); never logged. */
  OPENAI_ADMIN_KEY: z.string().min(1).optional(),
  ANTHROPIC_ADMIN_KEY: z.string().min(1).optional(),
  /** Where those reports are pulled from (scheme and host, without /v1): a proxy, or a local server in tests. */
  OPENAI_API_BASE_URL: z.string().url().default("https://api.openai.com"),
  ANTHROPIC_API_BASE_URL: z.string().url().default("https://api.anthropic.com"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().default("127.0.0.1"),
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
});

export type Env = z.infer<typeof schema>;

let cached: Env | undefined;

export function env(): Env {
  if (!cached) {
    const parsed = schema.safeParse(process.env);
    if (!parsed.success) {
      const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
      throw new Error(`Invalid configuration:\n${lines.join("\n")}`);
    }
    cached = parsed.data;
  }
  return cached;
}

// The ignore comments keep the build from tracing the whole project into the server output: these are
// runtime paths (the install and its data), never modules to bundle.
export function projectRoot(): string {
  return path.resolve(/*turbopackIgnore: true*/ env().COST_REVIEW_ROOT ?? process.cwd());
}

export function dataDir(): string {
  return path.resolve(/*turbopackIgnore: true*/ projectRoot(), env().COST_REVIEW_DATA_DIR);
}
