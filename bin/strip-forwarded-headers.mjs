// Preloaded into the web server process (node --import) by `cost-review start`. Unless TRUST_PROXY is set,
// X-Forwarded-* headers come from the client itself and may be forged: drop them before Next.js reads the
// request, so that Next.js fills them from the socket (X-Forwarded-For = the real client address).
import http from "node:http";

const trusted = ["1", "true"].includes(process.env.TRUST_PROXY ?? "");
if (!trusted) {
  const emit = http.Server.prototype.emit;
  http.Server.prototype.emit = function (event, ...args) {
    if (event === "request" && args[0]?.headers) {
      for (const name of Object.keys(args[0].headers)) {
        if (name.startsWith("x-forwarded-") || name === "forwarded") delete args[0].headers[name];
      }
    }
    return emit.call(this, event, ...args);
  };
}
