/**
 * A counter of changes to what the catalog lists. Catalog pages are cached under it
 * (catalog.server.ts), so a change makes every cached page stale. Kept apart, without imports,
 * because the seed — run while the database client is being opened — reports its changes too.
 */
let generation = 0;

export function catalogGeneration(): number {
  return generation;
}

/** Called by each write that changes what the catalog lists (search index, procedure settings). */
export function catalogChanged(): void {
  generation += 1;
}

/**
 * A counter of changes to the search index's words alone: the spelling corrector's vocabulary
 * (catalog.server.ts) is read from the index under it, and a change of a procedure's level or
 * fee, which empties the page cache, leaves the words as they were.
 */
let indexGeneration = 0;

export function searchIndexGeneration(): number {
  return indexGeneration;
}

/** Called by each write to the search index (it changes the catalog too). */
export function searchIndexChanged(): void {
  indexGeneration += 1;
  catalogChanged();
}
