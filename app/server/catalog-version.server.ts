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
