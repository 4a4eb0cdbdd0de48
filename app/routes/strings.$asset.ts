import type { LoaderFunctionArgs } from "@remix-run/node";
import { isLanguage } from "~/i18n";
import { stringsAsset } from "~/server/i18n.server";

const ASSET = /^(vi|en)-(citizen|staff)-([0-9a-f]{12})\.js$/;

/**
 * The browser's strings (root.tsx puts this script in every page's head). The name carries the
 * content's hash: the current one is cached for a year; a page rendered before a deploy asks
 * for an older hash and gets today's strings, not cached.
 */
export function loader({ params }: LoaderFunctionArgs) {
  const match = ASSET.exec(params.asset ?? "");
  const language = match?.[1];
  const set = match?.[2] === "staff" ? "staff" : "citizen";
  if (!match || !isLanguage(language)) throw new Response("Not found", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  const asset = stringsAsset(language, set);
  return new Response(asset.body, {
    headers: {
      "Content-Type": "text/javascript; charset=utf-8",
      "Cache-Control": match[3] === asset.hash ? "public, max-age=31536000, immutable" : "no-cache",
    },
  });
}
