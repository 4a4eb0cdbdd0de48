import { createCookie } from "@remix-run/node";
import { RemixI18Next } from "remix-i18next/server";
import en from "../../locales/en/common.json";
import vi from "../../locales/vi/common.json";
import { DEFAULT_LANGUAGE, isLanguage, LANGUAGES, NAMESPACE, type Language } from "../i18n";

/** Translations are loaded one way: these JSON files, imported here, sent to the page by the root loader. */
export const translations = { vi, en } as const;

export const languageCookie = createCookie("lng", {
  path: "/",
  sameSite: "lax",
  httpOnly: true,
  maxAge: 60 * 60 * 24 * 365,
  secure: process.env.NODE_ENV === "production",
});

// Vietnamese is the default for everyone; English only when the visitor chose it (cookie).
const remixI18n = new RemixI18Next({
  detection: { supportedLanguages: [...LANGUAGES], fallbackLanguage: DEFAULT_LANGUAGE, cookie: languageCookie, order: ["cookie"] },
  i18next: { resources: { vi: { [NAMESPACE]: vi }, en: { [NAMESPACE]: en } }, defaultNS: NAMESPACE, fallbackLng: false, interpolation: { escapeValue: false } },
});

export async function getLanguage(request: Request): Promise<Language> {
  const found = await remixI18n.getLocale(request);
  return isLanguage(found) ? found : DEFAULT_LANGUAGE;
}

/** A translate function for server-made text (page titles, emails, PDF). */
export async function getT(request: Request) {
  return remixI18n.getFixedT(request, NAMESPACE);
}

export async function getTFor(language: Language) {
  return remixI18n.getFixedT(language, NAMESPACE);
}
