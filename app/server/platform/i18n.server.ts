import { createHash } from "node:crypto";
import { brotliCompressSync, constants as zlibConstants, gzipSync } from "node:zlib";
import { createCookie } from "@remix-run/node";
import type { ResourceLanguage } from "i18next";
import { RemixI18Next } from "remix-i18next/server";
import enAdmin from "../../../locales/en/admin.json";
import enCommon from "../../../locales/en/common.json";
import enGateway from "../../../locales/en/gateway.json";
import enLevel4 from "../../../locales/en/level4.json";
import enNotifications from "../../../locales/en/notifications.json";
import enOfficer from "../../../locales/en/officer.json";
import enProceduresAdmin from "../../../locales/en/procedures-admin.json";
import enFormsAdmin from "../../../locales/en/forms-admin.json";
import enQueue from "../../../locales/en/queue.json";
import enReported from "../../../locales/en/reported.json";
import enStatistics from "../../../locales/en/statistics.json";
import viAdmin from "../../../locales/vi/admin.json";
import viCommon from "../../../locales/vi/common.json";
import viGateway from "../../../locales/vi/gateway.json";
import viLevel4 from "../../../locales/vi/level4.json";
import viNotifications from "../../../locales/vi/notifications.json";
import viOfficer from "../../../locales/vi/officer.json";
import viProceduresAdmin from "../../../locales/vi/procedures-admin.json";
import viFormsAdmin from "../../../locales/vi/forms-admin.json";
import viQueue from "../../../locales/vi/queue.json";
import viReported from "../../../locales/vi/reported.json";
import viStatistics from "../../../locales/vi/statistics.json";
import type { Role } from "../../core/auth/permissions";
import { BASE_STRING_GROUPS, stringsScriptPath } from "../../page-strings";
import { env, simulatorsOn } from "./env.server";
import { DEFAULT_LANGUAGE, isLanguage, LANGUAGES, NAMESPACE, STRINGS_READY_EVENT, type Language } from "../../i18n";

/**
 * Translations are loaded one way: the JSON files under locales/<language>/, imported here and
 * merged into one namespace (each file holds its own top-level groups; a test checks they do not
 * overlap), then sent to the page by the root loader.
 */
const vi = {
  ...viCommon,
  ...viLevel4,
  ...viOfficer,
  ...viGateway,
  ...viNotifications,
  ...viQueue,
  ...viAdmin,
  ...viProceduresAdmin,
  ...viFormsAdmin,
  ...viReported,
  ...viStatistics,
};
const en = {
  ...enCommon,
  ...enLevel4,
  ...enOfficer,
  ...enGateway,
  ...enNotifications,
  ...enQueue,
  ...enAdmin,
  ...enProceduresAdmin,
  ...enFormsAdmin,
  ...enReported,
  ...enStatistics,
};
export const translations = { vi, en } as const;

/**
 * Groups that only staff pages (/officer, /admin) show. Citizens and visitors are not sent them:
 * they were two thirds of the strings every page carries in its HTML. Staff get everything, so a
 * role, not a path, decides (the root loader runs again on sign-in and sign-out, which are posts).
 * tests/unit/client-strings.test.ts checks that no citizen page or shared component uses them.
 */
export const STAFF_ONLY_GROUPS = ["admin", "proc_admin", "form_admin", "queue", "reported", "stats", "officer", "intake", "notify", "pay_admin"] as const;

/** Groups only the server uses (the 413 page server.js answers before React runs, a PDF's text, a payment's failure reason put in loader data already translated): no browser needs them. */
export const SERVER_ONLY_GROUPS = ["body_limits", "pay_receipt_pdf", "pay_reason"] as const;

/**
 * The simulators' pages (the bank's and the post office's, not the portal's): their strings are sent only
 * where the simulators are mounted (SIMULATORS), so a production citizen never downloads them.
 */
export const SIMULATOR_GROUPS = ["gateway", "postsim", "vneidsim"] as const;

/** Whether the browser's strings carry the simulators' groups: where they are mounted, unless told otherwise. */
export type StringsOptions = { simulators?: boolean };
const withSimulators = (options: StringsOptions) => options.simulators ?? simulatorsOn(env());

/** The strings the browser gets: the chosen language only, never the server-only groups, and the staff groups only for staff. */
export function clientStrings(language: Language, role: Role | null, options: StringsOptions = {}): ResourceLanguage {
  const all: ResourceLanguage = translations[language];
  if (role !== null && role !== "citizen") return staffStrings.get(language) ?? cached(staffStrings, language, without(all, SERVER_ONLY_GROUPS));
  const simulators = withSimulators(options);
  // Made once per language: the same object each time also lets the page reuse its i18next instance.
  const key = `${language}-${simulators}`;
  return (
    citizenStrings.get(key) ?? cached(citizenStrings, key, without(all, [...SERVER_ONLY_GROUPS, ...STAFF_ONLY_GROUPS, ...(simulators ? [] : SIMULATOR_GROUPS)]))
  );
}
const citizenStrings = new Map<string, ResourceLanguage>();
const staffStrings = new Map<string, ResourceLanguage>();
const without = (all: ResourceLanguage, groups: readonly string[]): ResourceLanguage =>
  Object.fromEntries(Object.entries(all).filter(([group]) => !groups.includes(group)));
function cached(map: Map<string, ResourceLanguage>, key: string, value: ResourceLanguage): ResourceLanguage {
  map.set(key, value);
  return value;
}

/** Which strings a role's pages need: staff get every group but the server-only ones (see STAFF_ONLY_GROUPS, SERVER_ONLY_GROUPS). */
export type StringSet = "citizen" | "staff";
export const stringSetFor = (role: Role | null): StringSet => (role === null || role === "citizen" ? "citizen" : "staff");
export const stringsOf = (language: Language, set: StringSet, options: StringsOptions = {}): ResourceLanguage =>
  clientStrings(language, set === "staff" ? "system_admin" : null, options);

/**
 * The strings a citizen page's script carries: the layout's groups and the page's own (decision 019),
 * never a staff-only or server-only group, and the simulators' only where they are mounted.
 * Staff get their whole set whatever the page.
 */
export function pageStrings(language: Language, set: StringSet, groups: readonly string[], options: StringsOptions = {}): ResourceLanguage {
  const all = stringsOf(language, set, options);
  if (set === "staff") return all;
  const wanted = new Set<string>([...BASE_STRING_GROUPS, ...groups]);
  return Object.fromEntries(Object.entries(all).filter(([group]) => wanted.has(group)));
}

/** The version of a language's string set: the hash of all of it, so that any change of text gives new addresses. */
export function stringsVersion(language: Language, set: StringSet, options: StringsOptions = {}): string {
  const simulators = withSimulators(options);
  const key = `${language}-${set}-${simulators}`;
  let version = stringsVersions.get(key);
  if (!version)
    stringsVersions.set(
      key,
      (version = createHash("sha256")
        .update(JSON.stringify(stringsOf(language, set, { simulators })))
        .digest("hex")
        .slice(0, 12)),
    );
  return version;
}
const stringsVersions = new Map<string, string>();

/** What the root tells the page about its strings script: "<language>-<set>-<version>", to which the page adds its groups. */
export const stringsAt = (language: Language, set: StringSet, options: StringsOptions = {}) => `${language}-${set}-${stringsVersion(language, set, options)}`;

/**
 * The strings the browser's i18next needs, as a script file named by the set's version and the
 * page's groups: fetched once and cached for a year, instead of ~40 KB of JSON in every page's HTML
 * (which pages read without JavaScript never used). The script adds its groups to those already
 * loaded, so a page reached by a link can bring its own (app/utils/page-strings-loader.ts).
 * The server renders with the same object (entry.server.tsx).
 */
export function stringsAsset(language: Language, set: StringSet, options: StringsOptions = {}, groups: readonly string[] = []): StringsAsset {
  const simulators = withSimulators(options);
  const pageGroups = set === "staff" ? [] : [...groups];
  const at = stringsAt(language, set, { simulators });
  const cacheKey = `${at}-${simulators}-${pageGroups.join(".")}`;
  let asset = stringsAssets.get(cacheKey);
  if (!asset) {
    const strings = pageStrings(language, set, pageGroups, { simulators });
    // It says when it has run: the page's hydration (an async module) may be ready first (entry.client.tsx).
    const body = `window.__portalStrings=Object.assign(window.__portalStrings||{},${JSON.stringify(strings)});dispatchEvent(new Event(${JSON.stringify(STRINGS_READY_EVENT)}));\n`;
    // Compressed once at the highest levels, as the build's own scripts are (scripts/precompress-assets.js).
    const brotli = brotliCompressSync(body, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 11 } });
    const gzip = gzipSync(body, { level: 9 });
    stringsAssets.set(
      cacheKey,
      (asset = { path: stringsScriptPath(at, pageGroups), body, hash: stringsVersion(language, set, { simulators }), strings, brotli, gzip }),
    );
  }
  return asset;
}
export type StringsAsset = { path: string; body: string; hash: string; strings: ResourceLanguage; brotli: Buffer; gzip: Buffer };
// Bounded: the strings route makes assets only for the page-group lists of PAGE_STRING_GROUPS.
const stringsAssets = new Map<string, StringsAsset>();

/** The few strings the root's meta needs (it runs outside React, without i18next): the site name and the error titles. */
export function metaStrings(language: Language): Record<string, string> {
  const all = translations[language];
  const titles = Object.entries(all.errors).filter(([key]) => key.endsWith("_title"));
  return Object.fromEntries([["layout.site_name", all.layout.site_name], ...titles.map(([key, value]) => [`errors.${key}`, value])]);
}

export const languageCookie = createCookie("lng", {
  path: "/",
  sameSite: "lax",
  httpOnly: true,
  maxAge: 60 * 60 * 24 * 365,
  secure: process.env.NODE_ENV === "production",
});

// Vietnamese is the default for everyone; English only when the visitor chose it (cookie).
const remixI18n = new RemixI18Next({
  detection: { supportedLanguages: [...LANGUAGES], fallbackLanguage: DEFAULT_LANGUAGE },
  i18next: { resources: { vi: { [NAMESPACE]: vi }, en: { [NAMESPACE]: en } }, defaultNS: NAMESPACE, fallbackLng: false, interpolation: { escapeValue: false } },
});

export async function getLanguage(request: Request): Promise<Language> {
  return languageOfCookies(request.headers.get("cookie"));
}

/**
 * The visitor's language from a Cookie header: the one they chose (the `lng` cookie), else
 * Vietnamese. Read from the header itself so the page cache can key a request by it before any
 * Request object is built (catalog/page-cache.server.ts).
 */
export async function languageOfCookies(header: string | null): Promise<Language> {
  const chosen: unknown = header ? await languageCookie.parse(header) : null;
  return isLanguage(chosen) ? chosen : DEFAULT_LANGUAGE;
}

/** A translate function for server-made text (page titles, emails, PDF), in the visitor's language. */
export async function getT(request: Request) {
  return getTFor(await getLanguage(request));
}

// remix-i18next makes and initialises a new i18next instance on every call (~0.5 ms, per request
// on every page); the strings never change while the server runs, so one per language is kept.
const fixedTs = new Map<Language, ReturnType<typeof remixI18n.getFixedT>>();
export function getTFor(language: Language) {
  let t = fixedTs.get(language);
  if (!t) fixedTs.set(language, (t = remixI18n.getFixedT(language, NAMESPACE)));
  return t;
}
