import { SymSpell } from "mnemonist";
import { canonicalSpelling, queryWords, spellingVariants } from "./fold";

/** A folded word of the catalog and how many procedures use it (more used, more likely meant). */
export type VocabularyWord = { word: string; docs: number };

/**
 * How many edits (a letter added, dropped, changed, or two swapped) a word of this length may be
 * from the word meant: none under 3 letters (too many words are one edit apart), 1 up to 5, 2 from 6.
 */
export function maxEdits(length: number): number {
  return length < 3 ? 0 : length < 6 ? 1 : 2;
}

/**
 * Corrects the words of a query against the catalog's own vocabulary (folded words, see fold.ts).
 * Candidates come from a SymSpell index (mnemonist): every vocabulary word within two edits of a
 * word is found without comparing it with the whole vocabulary. The nearest wins; between equally
 * near ones, the word more procedures use.
 */
export class SpellingCorrector {
  private readonly docs = new Map<string, number>();
  private readonly sorted: string[];
  private readonly index = new SymSpell({ maxDistance: 2, verbosity: 2 });

  constructor(words: Iterable<VocabularyWord>) {
    for (const { word, docs } of words) {
      // Codes and numbers are looked up as typed, never "corrected" into another code.
      if (word.length === 0 || /\p{N}/u.test(word)) continue;
      for (const spelling of new Set([word, canonicalSpelling(word)])) {
        this.docs.set(spelling, (this.docs.get(spelling) ?? 0) + docs);
      }
    }
    this.sorted = [...this.docs.keys()].sort();
    for (const word of this.sorted) this.index.add(word);
  }

  get size(): number {
    return this.sorted.length;
  }

  /** The word, or another spelling of it, is in the vocabulary. */
  isWord(token: string): boolean {
    return spellingVariants(token).some((w) => this.docs.has(w));
  }

  /** Some vocabulary word starts with this (the search matches every word as a prefix). */
  isPrefix(token: string): boolean {
    let low = 0;
    let high = this.sorted.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if ((this.sorted[mid] ?? "") < token) low = mid + 1;
      else high = mid;
    }
    return (this.sorted[low] ?? "").startsWith(token);
  }

  /** The vocabulary word nearest to a folded word, within `maxEdits` of its length; null when there is none. */
  correctWord(token: string): string | null {
    const limit = maxEdits(token.length);
    if (limit === 0) return null;
    let best: { term: string; distance: number; docs: number } | null = null;
    for (const { term, distance } of this.index.search(token)) {
      if (distance === 0 || distance > limit) continue;
      const docs = this.docs.get(term) ?? 0;
      if (!best || distance < best.distance || (distance === best.distance && (docs > best.docs || (docs === best.docs && term < best.term)))) {
        best = { term, distance, docs };
      }
    }
    return best?.term ?? null;
  }

  /**
   * The query with its unknown words corrected, the known ones kept as typed ("Đăng ký khai sinhh"
   * → "Đăng ký khai sinh"); null when nothing needs correcting or some word has no plausible
   * correction. A word is known when it is a vocabulary word, a code or number, or — for the last
   * word, which may still be being typed, and for words too short to correct — the start of one.
   */
  correctQuery(query: string): string | null {
    const words = queryWords(query);
    let changed = false;
    const corrected: string[] = [];
    for (const [i, { text, token }] of words.entries()) {
      const last = i === words.length - 1;
      if (/\p{N}/u.test(token) || this.isWord(token) || ((last || maxEdits(token.length) === 0) && this.isPrefix(token))) {
        corrected.push(text);
        continue;
      }
      const fix = this.correctWord(token);
      if (fix) {
        changed = true;
        corrected.push(fix);
      } else if (this.isPrefix(token)) {
        corrected.push(text);
      } else {
        return null;
      }
    }
    return changed ? corrected.join(" ") : null;
  }
}
