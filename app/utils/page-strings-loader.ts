import type { ClientLoaderFunctionArgs } from "@remix-run/react";
import { createI18n, isLanguage, NAMESPACE } from "~/i18n";
import { PAGE_STRING_GROUPS, stringsScriptPath } from "~/page-strings";

/**
 * A citizen page's clientLoader (decision 019): when the page is reached by a link, its string groups
 * are fetched first (one cached script) if the page before did not have them, so it never renders
 * keys. The first page of a visit got its groups with the document and does not run this.
 */
export function pageStringsLoader(routeId: string) {
  const groups = PAGE_STRING_GROUPS[routeId] ?? [];
  return async ({ request, serverLoader }: ClientLoaderFunctionArgs) => {
    await loadGroups(groups, request.url);
    return serverLoader();
  };
}

const loading = new Map<string, Promise<void>>();

async function loadGroups(groups: readonly string[], url: string): Promise<void> {
  const have = window.__portalStrings ?? {};
  const script = document.querySelector<HTMLScriptElement>("script[data-strings-at]");
  const at = script?.dataset.stringsAt;
  const language = document.documentElement.lang;
  if (groups.every((g) => g in have) || !at || !isLanguage(language)) return;
  const path = stringsScriptPath(at, groups);
  let load = loading.get(path);
  if (!load) {
    load = new Promise<void>((resolve, reject) => {
      const tag = document.createElement("script");
      tag.src = path;
      tag.onload = () => resolve();
      tag.onerror = () => reject(new Error(`strings ${path}`));
      document.head.append(tag);
    });
    loading.set(path, load);
  }
  try {
    await load;
  } catch {
    loading.delete(path);
    // Without its strings the page would show keys: the server renders it whole instead.
    window.location.assign(url);
    return new Promise<void>(() => undefined);
  }
  // The script added its groups to window.__portalStrings; the page's i18next gets them too.
  const strings = window.__portalStrings ?? {};
  const i18n = createI18n(language, strings);
  for (const group of groups) i18n.addResourceBundle(language, NAMESPACE, { [group]: strings[group] }, true, true);
}
