/** Text given in Vietnamese and, when translated, English. Kept free of zod so pages that only show text stay light. */
export type LocalText = { vi: string; en?: string };

/** The text in the chosen language, falling back to Vietnamese. */
export function localText(text: LocalText, lang: string): string {
  return lang === "en" && text.en ? text.en : text.vi;
}
