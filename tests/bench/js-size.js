// Prints the JavaScript each citizen page loads when it opens, raw, gzip and brotli, from the
// Remix build manifest (run after `npm run build`): entry + root + the route's module and its
// imports, exactly the modulepreload list Remix writes into the page. Compressed at the
// settings of scripts/precompress-assets.js, i.e. the bytes server.js sends. Code a page loads
// later (dynamic import(), e.g. the form's validation) is listed separately.
// The route manifest itself is inlined in the HTML (lazy route discovery), so it is not counted.
// The translation strings are one more script per page (/strings/…, decisions 010 and 019), made by the
// server from locales/: counted here at its compressed size, the larger of the two languages.
// Runs under tsx, which lets it take that script from the server module itself.
// The budget is judged on what the browser is sent: brotli (every current browser asks for it,
// and server.js serves the .br copies); gzip, for clients without brotli, is shown beside it.
// `--strict` exits 1 when a page's brotli size exceeds the budget.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { brotli, gzip } from "../../scripts/precompress-assets.js";
import { stringsAsset } from "../../app/server/platform/i18n.server";
import { PAGE_STRING_GROUPS } from "../../app/page-strings";

export const BUDGET_KB = 100;

const dir = "public/build";
const manifestFile = readdirSync(dir).find((f) => /^manifest-.*\.js$/.test(f));
if (!manifestFile) throw new Error("no build manifest: run npm run build");
const source = readFileSync(path.join(dir, manifestFile), "utf8");
const manifest = JSON.parse(source.slice(source.indexOf("{"), source.lastIndexOf("}") + 1));

/** Every page a citizen (or a visitor) opens, by route id. */
const pages = {
  "/": "routes/_index",
  "/procedures": "routes/procedures._index",
  "/procedures/:code": "routes/procedures.$code",
  "/procedures/:code/apply": "routes/procedures.$code_.apply",
  "/procedures/:code/apply/check": "routes/procedures.$code_.apply_.check",
  "/applications": "routes/applications._index",
  "/applications/:receiptCode": "routes/applications.$receiptCode",
  "/applications/:code/supplement": "routes/applications.$receiptCode_.supplement",
  "/track": "routes/track",
  "/verify": "routes/verify",
  "/login": "routes/login",
  "/register": "routes/register",
  "/payments/return": "routes/payments.return",
};
const modulesOf = (entry) => [entry.module, ...(entry.imports ?? [])];
const base = [...modulesOf(manifest.entry), ...modulesOf(manifest.routes.root)];

const measured = new Map();
const measure = (f) => {
  if (!measured.has(f)) {
    const bytes = readFileSync(path.join("public", f));
    measured.set(f, { raw: bytes.length, gz: gzip(bytes).length, br: brotli(bytes).length });
  }
  return measured.get(f);
};
const sizes = (files) => {
  const total = { raw: 0, gz: 0, br: 0 };
  for (const f of files) for (const k of Object.keys(total)) total[k] += measure(f)[k];
  return total;
};
const kb = (n) => (n / 1024).toFixed(1).padStart(8);

/**
 * The strings script a page loads (the layout's groups and the page's own, decision 019), at its larger
 * language (the server sends its brotli or gzip copy), as production sends it: without the simulators.
 */
const stringsOfPage = (id) => {
  const assets = ["vi", "en"].map((language) => stringsAsset(language, "citizen", { simulators: false }, PAGE_STRING_GROUPS[id] ?? []));
  return {
    raw: Math.max(...assets.map((a) => Buffer.byteLength(a.body))),
    gz: Math.max(...assets.map((a) => a.gzip.length)),
    br: Math.max(...assets.map((a) => a.brotli.length)),
  };
};

/** Chunks reached only through import() from a page's modules, with their own static imports. */
function lazyChunks(files) {
  const seen = new Set(files);
  const lazy = [];
  const add = (f, re) => {
    for (const m of readFileSync(path.join("public", f), "utf8").matchAll(re)) {
      if (seen.has(m[1])) continue;
      seen.add(m[1]);
      lazy.push(m[1]);
    }
  };
  for (const f of files) add(f, /import\("(\/build\/[^"]+\.js)"\)/g);
  for (let i = 0; i < lazy.length; i++) add(lazy[i], /(?:from|import)\s*"(\/build\/[^"]+\.js)"/g);
  return lazy;
}

let over = 0;
const verdict = (bytes) => (bytes <= BUDGET_KB * 1024 ? "PASS" : "MISS").padStart(8);
console.log(
  "page".padEnd(32),
  "files",
  "raw KB".padStart(8),
  "gzip KB".padStart(8),
  "br KB".padStart(8),
  "br≤100".padStart(8),
  "gz≤100".padStart(8),
  "  later br",
  "strings br",
);
for (const [page, id] of Object.entries(pages)) {
  const route = manifest.routes[id];
  if (!route) throw new Error(`route ${id} not in manifest`);
  const files = [...new Set([...base, ...modulesOf(route)])];
  const chunks = sizes(files);
  const strings = stringsOfPage(id);
  const [raw, gz, br] = ["raw", "gz", "br"].map((k) => chunks[k] + strings[k]);
  const lazy = lazyChunks(files);
  const later = lazy.length ? kb(sizes(lazy).br) : "";
  if (br > BUDGET_KB * 1024) over += 1;
  console.log(
    page.padEnd(32),
    String(files.length + 1).padStart(5),
    kb(raw),
    kb(gz),
    kb(br),
    verdict(br),
    verdict(gz),
    "  ",
    later.padStart(8),
    kb(strings.br),
  );
}
console.log("files: the build's chunks plus the page's strings script (its brotli size in the last column)");
console.log(`budget: ${BUDGET_KB} KB of compressed JavaScript per page at first load, as sent (brotli); "later": loaded on first use (import())`);
if (over && process.argv.includes("--strict")) process.exit(1);
