-- The catalog's search index on PostgreSQL (issue 15), the twin of SQLite's FTS5 procedures_fts:
-- the same folded words, written as lexemes by the portal (app/server/catalog/search-pg.server.ts)
-- so both databases split text the same way, and the filter words as an array.
CREATE TABLE "procedures_search" (
	"procedure_id" integer PRIMARY KEY REFERENCES "procedures"("id") ON DELETE CASCADE,
	"document" tsvector NOT NULL,
	"facets" text[] NOT NULL
);
--> statement-breakpoint
CREATE INDEX "procedures_search_document_idx" ON "procedures_search" USING gin ("document");
--> statement-breakpoint
CREATE INDEX "procedures_search_facets_idx" ON "procedures_search" USING gin ("facets");
