import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // pg and PGlite load native-ish assets (wasm, data files) from their package directories at run time;
  // protobufjs builds its codecs at run time and loads optional modules dynamically.
  serverExternalPackages: ["pg", "@electric-sql/pglite", "@electric-sql/pglite-socket", "decimal.js", "protobufjs"],
  poweredByHeader: false,
  typedRoutes: false,
  // forbidden() renders app/forbidden.tsx with status 403 for signed-in users who lack a permission.
  experimental: { authInterrupts: true },
};

export default nextConfig;
