-- The catalog's filters (level, field, agency and its sub-agencies) become words of the search index, in a fourth
-- column `facets`, so a filtered search is one FTS5 query: the filters intersect posting lists instead of probing
-- the procedures table once per match (app/server/catalog/search-index.server.ts, `procedureFacets`, is the same
-- rule in TypeScript and keeps the column up to date). The words start with "_", which the tokenizer keeps
-- (tokenchars) and a typed search never produces, so a search cannot match a filter word. The agency words are
-- padded to a fixed count, so every row has as many facet words and relevance (bm25, which counts a row's words)
-- is the same for a commune's procedure as for a ministry's.
CREATE VIRTUAL TABLE `procedures_fts_new` USING fts5(`code`, `name`, `field`, `facets`, tokenize = "unicode61 remove_diacritics 0 tokenchars '_'", prefix = '2 3');
--> statement-breakpoint
INSERT INTO `procedures_fts_new` (rowid, code, name, field, facets)
SELECT f.rowid, f.code, f.name, f.field,
  '_lv' || p.level || ' _fd' || p.field_id || replace(rtrim(a.path, '/'), '/', ' _ag')
    || replace(hex(zeroblob(max(0, 6 - (length(a.path) - length(replace(a.path, '/', '')) - 1)))), '00', ' _ag' || a.id)
FROM `procedures_fts` f
JOIN `procedures` p ON p.id = f.rowid
JOIN `agencies` a ON a.id = p.agency_id;
--> statement-breakpoint
DROP TABLE `procedures_fts`;
--> statement-breakpoint
ALTER TABLE `procedures_fts_new` RENAME TO `procedures_fts`;
