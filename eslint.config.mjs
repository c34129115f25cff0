// Lint rules: TypeScript's recommended set, React hooks, and the project's own conventions.
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import reactHooks from "eslint-plugin-react-hooks";

const UI_IMPORTS = {
  regex: "^(@/|(\\.\\./)+|\\./)(components|app)(/|$)",
  message: "lib/ must not import components/ or app/: move the shared type or helper into lib/.",
};
const DB_IMPORTS = {
  regex: "^(@/|(\\.\\./)+)lib/(db|generated)(/|$)",
  message: "Only lib/ (and route handlers) reach the database: call a lib/ function and pass its data as props.",
};
const DB_PACKAGES = ["pg", "@prisma/client", "@prisma/adapter-pg"].map((name) => ({
  name,
  message: "Only lib/ (and route handlers) reach the database: call a lib/ function and pass its data as props.",
}));
const RESPONSE_MESSAGE = "lib/ does not build HTTP responses: return data (or throw an AppError) and answer in the route handler, or use lib/http.";
const RESPONSE_IN_LIB = [
  "NewExpression[callee.name='Response']",
  "CallExpression[callee.type='MemberExpression'][callee.object.name='Response']",
  "Identifier[name='NextResponse']",
].map((selector) => ({ selector, message: RESPONSE_MESSAGE }));

export default tseslint.config(
  { ignores: ["node_modules/", ".next/", "lib/generated/", "test-results/", "playwright-report/", "next-env.d.ts", ".data/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { "react-hooks": reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      // Configuration is read and validated once, in lib/env.ts.
      "no-restricted-properties": ["error", { object: "process", property: "env", message: "Read configuration through lib/env.ts." }],
    },
  },
  {
    files: ["lib/env.ts", "bin/**", "scripts/**", "tests/**", "e2e/**", "bench/**", "instrumentation.ts", "playwright.config.ts", "vitest*.config.ts", "prisma.config.ts", "cli/start.ts", "lib/db/connect.ts"],
    rules: { "no-restricted-properties": "off" },
  },
  // Layers (docs/architecture.md): lib/ is the domain and never reaches up into the UI; components render
  // what they are given and never reach the database; pages call lib/ and never run SQL themselves.
  {
    files: ["lib/**/*.{ts,tsx}"],
    rules: { "no-restricted-imports": ["error", { patterns: [UI_IMPORTS] }] },
  },
  // HTTP answers are the route layer's: lib/ returns data and throws AppErrors; only lib/http (the route
  // layer's helpers: the guard's error answer, downloads, OTLP) builds a Response.
  {
    files: ["lib/**/*.{ts,tsx}"],
    ignores: ["lib/http/**"],
    rules: { "no-restricted-syntax": ["error", ...RESPONSE_IN_LIB] },
  },
  {
    files: ["components/**/*.{ts,tsx}"],
    rules: { "no-restricted-imports": ["error", { paths: DB_PACKAGES, patterns: [DB_IMPORTS] }] },
  },
  {
    files: ["app/**/*.{ts,tsx}"],
    ignores: ["app/api/**"],
    rules: { "no-restricted-imports": ["error", { paths: DB_PACKAGES, patterns: [DB_IMPORTS] }] },
  },
  {
    files: ["**/*.mjs", "**/*.js"],
    languageOptions: { globals: { process: "readonly", console: "readonly", URL: "readonly", Buffer: "readonly", setTimeout: "readonly" } },
  },
);
