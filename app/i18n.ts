/** Shared by server and browser: the languages and how an i18next instance is made from one language's strings. */
import i18next, { type i18n, type Resource, type ResourceLanguage } from "i18next";
import { initReactI18next } from "react-i18next";

export const LANGUAGES = ["vi", "en"] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = "vi";
export const NAMESPACE = "common";

/** Dispatched on window by the strings script (/strings/…) once it has set window.__portalStrings. */
export const STRINGS_READY_EVENT = "portal-strings-ready";

export function isLanguage(value: unknown): value is Language {
  return value === "vi" || value === "en";
}

/**
 * The browser gets only the chosen language's strings, through the root loader's
 * data, so no translation file is bundled into JavaScript and pages without
 * JavaScript render the same text. The same call runs on the server's render.
 */
export function createI18n(language: Language, strings: ResourceLanguage): i18n {
  // The server renders every page with one of four string sets: an instance per set, not per request.
  const cached = instances.get(strings)?.get(language);
  if (cached) return cached;
  const instance = newInstance(language, strings);
  const byLanguage = instances.get(strings) ?? new Map<Language, i18n>();
  byLanguage.set(language, instance);
  instances.set(strings, byLanguage);
  return instance;
}
const instances = new WeakMap<ResourceLanguage, Map<Language, i18n>>();

function newInstance(language: Language, strings: ResourceLanguage): i18n {
  const resources: Resource = { [language]: { [NAMESPACE]: strings } };
  const instance = i18next.createInstance();
  void instance.use(initReactI18next).init({
    lng: language,
    fallbackLng: false,
    ns: [NAMESPACE],
    defaultNS: NAMESPACE,
    resources,
    initImmediate: false,
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  return instance;
}
