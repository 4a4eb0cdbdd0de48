// Prints the JavaScript each citizen page loads, raw and gzip-compressed, from the
// Remix build manifest (run after `npm run build`): entry + root + the route's module and imports.
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";

const dir = "public/build";
const manifestFile = readdirSync(dir).find((f) => /^manifest-.*\.js$/.test(f));
if (!manifestFile) throw new Error("no build manifest: run npm run build");
const source = readFileSync(path.join(dir, manifestFile), "utf8");
const manifest = JSON.parse(source.slice(source.indexOf("{"), source.lastIndexOf("}") + 1));

const pages = {
  "/": "routes/_index",
  "/procedures": "routes/procedures._index",
  "/procedures/:code": "routes/procedures.$code",
  "/procedures/:code/apply": "routes/procedures.$code_.apply",
  "/procedures/:code/apply/check": "routes/procedures.$code_.apply_.check",
  "/applications/:receiptCode": "routes/applications.$receiptCode",
  "/track": "routes/track",
};
const file = (url) => path.join("public", url);
const modulesOf = (entry) => [entry.module, ...(entry.imports ?? [])];
const base = [...modulesOf(manifest.entry), ...modulesOf(manifest.routes.root)];

console.log("page".padEnd(32), "files", "raw KB".padStart(8), "gzip KB".padStart(8));
for (const [page, id] of Object.entries(pages)) {
  const route = manifest.routes[id];
  if (!route) throw new Error(`route ${id} not in manifest`);
  const files = [...new Set([...base, ...modulesOf(route), manifest.url])];
  let raw = 0;
  let gz = 0;
  for (const f of files) {
    const bytes = readFileSync(file(f));
    raw += bytes.length;
    gz += gzipSync(bytes, { level: 6 }).length;
  }
  console.log(page.padEnd(32), String(files.length).padStart(5), (raw / 1024).toFixed(1).padStart(8), (gz / 1024).toFixed(1).padStart(8));
}
