/** Text given in Vietnamese and, when translated, English. Kept free of zod so pages that only show text stay light. */
export type LocalText = { vi: string; en?: string };

/** The text in the chosen language, falling back to Vietnamese. */
export function localText(text: LocalText, lang: string): string {
  return lang === "en" && text.en ? text.en : text.vi;
}

/**
 * What to show for a text, and `lang: "vi"` when an English page has to fall back to the Vietnamese,
 * so screen readers pronounce it as Vietnamese (put it on the element that holds the text).
 */
export function shownText(text: LocalText, lang: string): { text: string; lang: "vi" | undefined } {
  const english = lang === "en" && text.en ? text.en : null;
  return english ? { text: english, lang: undefined } : { text: text.vi, lang: lang === "vi" ? undefined : "vi" };
}

/** The same for a Vietnamese/English pair of columns (name_vi, name_en). */
export function shownName(vi: string, en: string | null | undefined, lang: string): { text: string; lang: "vi" | undefined } {
  return shownText(en ? { vi, en } : { vi }, lang);
}

/**
 * The English text, or null when there is none (for the JSON API): a client must be able to tell an
 * untranslated name from an English one, so the Vietnamese is never passed off as `en`. A name written
 * the same in both languages (the province "An Giang") is null too: `en ?? vi` is then right either way.
 */
export function englishOrNull(vi: string, en: string | null): string | null {
  const text = en?.trim();
  return text && text !== vi.trim() ? text : null;
}
