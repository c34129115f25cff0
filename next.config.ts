import type { NextConfig } from "next";

// Sent with every page, API answer and asset. The CSP restricts only what cannot break the app (Next.js's
// inline scripts and the charts' inline styles need no allowance): no framing, no plugins, no <base> tricks,
// forms post only here. Strict-Transport-Security when served over https: below for a trusted proxy's
// X-Forwarded-Proto, and by proxy.ts on pages when NEXTAUTH_URL is https.
const HSTS = { key: "Strict-Transport-Security", value: "max-age=31536000; includeSubDomains" };

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
    return [
      { source: "/:path*", headers: SECURITY_HEADERS },
      // A proxy in front says the client used https. Without TRUST_PROXY the launcher drops a client's own
      // X-Forwarded-Proto before this is matched (bin/strip-forwarded-headers.mjs), so only a trusted proxy counts.
      { source: "/:path*", has: [{ type: "header", key: "x-forwarded-proto", value: "https" }], headers: [HSTS] },
    ];
  },
};

export default nextConfig;
