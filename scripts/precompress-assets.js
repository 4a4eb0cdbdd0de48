// Build step (after `remix build`): writes a brotli (.br) and a gzip (.gz) copy of every
// JavaScript and CSS file under public/build at the highest settings, once, so the server
// sends them ready-made (see server.js) instead of compressing per request at a low level.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

export const brotli = (bytes) =>
  brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } });
export const gzip = (bytes) => gzipSync(bytes, { level: 9 });

function* assets(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* assets(full);
    else if (/\.(js|css)$/.test(entry.name)) yield full;
  }
}

export function precompress(dir = "public/build") {
  let count = 0;
  for (const file of assets(dir)) {
    const bytes = readFileSync(file);
    writeFileSync(`${file}.br`, brotli(bytes));
    writeFileSync(`${file}.gz`, gzip(bytes));
    count += 1;
  }
  return count;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  console.log(`precompressed ${precompress()} files in public/build`);
}
