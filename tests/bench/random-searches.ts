/**
 * Searches other than the benchmark's, drawn at random (seeded): one to three consecutive words of
 * a random procedure's Vietnamese name, so common words come up as often as the catalog uses them;
 * every third narrowed to a random top-level agency, every fifth to a level. Used by bench:search
 * (the query alone) and bench:search-http (the whole page), so both time the same searches.
 */
export function randomSearches(names: readonly string[], topAgencies: readonly string[], count: number, seed: number): Record<string, string>[] {
  let state = seed >>> 0 || 1;
  const next = () => {
    // xorshift32: deterministic for a seed, no dependency for a benchmark's dice.
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4_294_967_296;
  };
  const pick = <T>(list: readonly T[]): T | undefined => list[Math.floor(next() * list.length)];
  const searches: Record<string, string>[] = [];
  for (let i = 0; i < count; i++) {
    // The scale generator ends each synthetic name with "— thủ tục thử tải <code>" (load-test procedure): not a real name's words.
    const words =
      (pick(names) ?? "")
        .split(" — ")[0]
        ?.split(/[\s(),—-]+/)
        .filter((w) => w.length > 0) ?? [];
    const length = 1 + Math.floor(next() * 3);
    const start = Math.floor(next() * Math.max(1, words.length - length + 1));
    const raw: Record<string, string> = { q: words.slice(start, start + length).join(" ") };
    if (i % 3 === 0) raw.agency = pick(topAgencies) ?? "";
    if (i % 5 === 0) raw.level = String(1 + Math.floor(next() * 4));
    searches.push(raw);
  }
  return searches;
}
