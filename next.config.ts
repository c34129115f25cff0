import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // pg and PGlite load native-ish assets (wasm, data files) from their package directories at run time.
  serverExternalPackages: ["pg", "@electric-sql/pglite", "@electric-sql/pglite-socket", "decimal.js"],
  poweredByHeader: false,
  typedRoutes: false,
  // forbidden() renders app/forbidden.tsx with status 403 for signed-in users who lack a permission.
  experimental: { authInterrupts: true },
};

export default nextConfig;
