/**
 * Counters of changes to what the catalog lists. Catalog pages are cached under them
 * (catalog.server.ts, page-cache.server.ts), so a change makes every cached page stale. A
 * generation has two parts: this process's own changes, counted at once, and the database's count
 * (table cache_generations), which every process reads once a second
 * (shared-generations.server.ts), so a change made through another process empties this one's
 * caches too. Kept apart, without imports, because the seed — run while the database client is
 * being opened — reports its changes too.
 */
let local = 0;
let localIndex = 0;
let shared = { catalog: 0, searchIndex: 0 };

export function catalogGeneration(): string {
  return `${local}.${shared.catalog}`;
}

/** Called by each write that changes what the catalog lists (search index, procedure settings). */
export function catalogChanged(): void {
  local += 1;
}

/**
 * The search index's words alone: the spelling corrector's vocabulary (catalog.server.ts) is read
 * from the index under it, and a change of a procedure's level or fee, which empties the page
 * cache, leaves the words as they were.
 */
export function searchIndexGeneration(): string {
  return `${localIndex}.${shared.searchIndex}`;
}

/** Called by each write to the search index (it changes the catalog too). */
export function searchIndexChanged(): void {
  localIndex += 1;
  catalogChanged();
}

/** The database's counts as last read (shared-generations.server.ts). */
export function sharedGenerationsRead(read: { catalog: number; searchIndex: number }): void {
  shared = read;
}
