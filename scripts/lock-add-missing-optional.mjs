#!/usr/bin/env node
// Run after every `npm install` that changes package-lock.json (`npm run lock:stubs`).
// npm here cannot see some foreign-platform optional packages (404 in this registry),
// so `npm install` leaves them out of package-lock.json and `npm ci` then refuses the
// lock ("Missing: @next/swc-darwin-arm64@ from lock file"). Add inert stubs for them;
// npm ci skips them by os/cpu on this machine.
import { readFileSync, writeFileSync } from "node:fs";
const lock = JSON.parse(readFileSync("package-lock.json", "utf8"));
const pk = lock.packages;
const guess = (name) => {
  const os = ["darwin", "win32", "linux", "freebsd", "android", "openbsd", "netbsd", "sunos", "aix"].find((o) => name.includes(o)) ?? (name.includes("wasm32") ? undefined : undefined);
  const cpu = ["arm64", "x64", "ia32", "arm", "wasm32"].find((c) => new RegExp(`(^|[-_/])${c}([-_]|$)`).test(name.split("/").pop()));
  return { os: os ? [os] : undefined, cpu: cpu && cpu !== "wasm32" ? [cpu] : cpu === "wasm32" ? ["wasm32"] : undefined };
};
let added = 0;
for (const [path, meta] of Object.entries(pk)) {
  for (const [dep, range] of Object.entries(meta.optionalDependencies ?? {})) {
    const key = `node_modules/${dep}`;
    if (pk[key] || pk[`${path}/node_modules/${dep}`]) continue;
    const version = range.replace(/^[\^~=]/, "");
    pk[key] = { version, optional: true, ...Object.fromEntries(Object.entries(guess(dep)).filter(([, v]) => v)) };
    added++;
    console.log("stub", key, version, JSON.stringify(guess(dep)));
  }
}
writeFileSync("package-lock.json", JSON.stringify(lock, null, 2) + "\n");
console.log(`added ${added} stubs`);
