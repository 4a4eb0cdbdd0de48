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

/** The words of a free-text query as typed (`text`) and folded (`token`); letters, digits and the dots of codes. */
export function queryWords(query: string): { text: string; token: string }[] {
  return query
    .normalize("NFC")
    .split(/[^\p{L}\p{N}\p{M}.]+/u)
    .map((text) => text.replace(/^\.+|\.+$/g, ""))
    .map((text) => ({ text, token: fold(text) }))
    .filter((w) => w.token.length > 0)
    .slice(0, 12);
}

/** Splits a free-text query into folded search tokens (letters and digits only). */
export function searchTokens(query: string): string[] {
  return queryWords(query).map((w) => w.token);
}

/**
 * A syllable that is only a consonant and i or y is one word spelt two ways: ký/kí, lý/lí, mỹ/mĩ,
 * sỹ/sĩ, tỷ/tỉ, hy/hi, vy/vi, quý/quí (the 1984 and 2018 spelling rules allow both, and both are
 * in use). Vowel pairs are not variants (tay ≠ tai, tuy ≠ tui), nor is a lone y (y tế).
 */
const I_Y_SYLLABLE = /^(qu|[hklmnstv])([iy])$/;

/** The spelling a folded word is compared under: a consonant + y syllable is written with i ("ky" → "ki"). */
export function canonicalSpelling(token: string): string {
  return token.replace(I_Y_SYLLABLE, "$1i");
}

/** Every spelling of a folded word that is the same word, the given one first: "ky" → ["ky", "ki"], "khai" → ["khai"]. */
export function spellingVariants(token: string): string[] {
  const found = I_Y_SYLLABLE.exec(token);
  if (!found) return [token];
  return [token, `${found[1]}${found[2] === "i" ? "y" : "i"}`];
}

/** A stable ASCII key from a Vietnamese name: "Bộ Tư pháp" → "bo-tu-phap". */
export function slugify(name: string): string {
  return fold(name)
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

/** Drops tone marks and hats but keeps case: "Bà Rịa - Vũng Tàu" → "Ba Ria - Vung Tau" (English-language names). */
export function stripDiacritics(text: string): string {
  return text
    .normalize("NFD")
    .replace(/\p{M}+/gu, "")
    .replace(/đ/g, "d")
    .replace(/Đ/g, "D")
    .normalize("NFC");
}
