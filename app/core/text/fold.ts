/**
 * Folds Vietnamese text for search: tone marks and vowel hats go, đ/Đ become d,
 * case is lowered and whitespace collapsed. SQLite's FTS5 `remove_diacritics`
 * leaves đ alone (it has no Unicode decomposition), so both the indexed text
 * and the query are folded here, the same way.
 */
export function fold(text: string): string {
  return text
    .normalize("NFD")
    .replace(/\p{M}+/gu, "")
    .replace(/[đĐ]/g, "d")
    .toLowerCase()
    .replace(/\s+/g, " ")
    .trim();
}

/** Splits a free-text query into folded search tokens (letters and digits only). */
export function searchTokens(query: string): string[] {
  return fold(query)
    .split(/[^\p{L}\p{N}.]+/u)
    .map((t) => t.replace(/^\.+|\.+$/g, ""))
    .filter((t) => t.length > 0)
    .slice(0, 12);
}

/** A stable ASCII key from a Vietnamese name: "Bộ Tư pháp" → "bo-tu-phap". */
export function slugify(name: string): string {
  return fold(name).replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
}

/** Drops tone marks and hats but keeps case: "Bà Rịa - Vũng Tàu" → "Ba Ria - Vung Tau" (English-language names). */
export function stripDiacritics(text: string): string {
  return text.normalize("NFD").replace(/\p{M}+/gu, "").replace(/đ/g, "d").replace(/Đ/g, "D").normalize("NFC");
}
