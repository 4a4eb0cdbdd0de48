import type { ResourceLanguage } from "i18next";
import { createContext, useContext } from "react";
import { DEFAULT_LANGUAGE } from "~/i18n";

declare global {
  interface Window {
    /** Set by the strings script the root puts in <head> (/strings/<language>-<set>-<hash>.js). */
    __portalStrings?: ResourceLanguage;
  }
}

/** The server render's strings (entry.server.tsx); null in the browser, which reads the strings script's. */
const StringsContext = createContext<ResourceLanguage | null>(null);
export const StringsProvider = StringsContext.Provider;

/** The strings this page renders with: the server's, or in the browser those its strings script loaded. */
export function usePageStrings(): ResourceLanguage {
  const server = useContext(StringsContext);
  if (server) return server;
  return typeof window === "undefined" ? {} : (window.__portalStrings ?? {});
}

/**
 * The strings script when the root loader failed (no path from it): the default language's citizen
 * strings under a name no build has, which the strings route answers with today's strings, not
 * cached. Server and browser render the same tag, and the error page's text survives hydration.
 */
export const FALLBACK_STRINGS_PATH = `/strings/${DEFAULT_LANGUAGE}-citizen-000000000000.js`;
