import type { NextConfig } from "next";

// Sent with every page, API answer and asset. The CSP restricts only what cannot break the app (Next.js's
// inline scripts and the charts' inline styles need no allowance): no framing, no plugins, no <base> tricks,
// forms post only here. Strict-Transport-Security is added per request by proxy.ts when served over https.
const SECURITY_HEADERS = [
  { key: "Content-Security-Policy", value: "frame-ancestors 'none'; object-src 'none'; base-uri 'self'; form-action 'self'" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
];

const nextConfig: NextConfig = {
  // pg and PGlite load native-ish assets (wasm, data files) from their package directories at run time;
  // protobufjs builds its codecs at run time and loads optional modules dynamically.
  serverExternalPackages: ["pg", "@electric-sql/pglite", "@electric-sql/pglite-socket", "decimal.js", "protobufjs"],
  poweredByHeader: false,
  typedRoutes: false,
  // forbidden() renders app/forbidden.tsx with status 403 for signed-in users who lack a permission.
  experimental: { authInterrupts: true },
  async headers() {
    return [{ source: "/:path*", headers: SECURITY_HEADERS }];
  },
};

export default nextConfig;
