-- Full-text search over folded (diacritic-free, đ→d, lower-case) procedure text.
-- The application folds both what it indexes and what it searches (app/core/text/fold.ts),
-- because FTS5's remove_diacritics does not fold đ.
CREATE VIRTUAL TABLE `procedures_fts` USING fts5(`code`, `name`, `field`, tokenize = 'unicode61 remove_diacritics 0', prefix = '2 3');
--> statement-breakpoint
-- The event log is append-only: statistics are computed from it and must be checkable.
CREATE TRIGGER `dossier_events_no_update` BEFORE UPDATE ON `dossier_events`
BEGIN SELECT RAISE(ABORT, 'dossier_events is append-only'); END;
--> statement-breakpoint
CREATE TRIGGER `dossier_events_no_delete` BEFORE DELETE ON `dossier_events`
BEGIN SELECT RAISE(ABORT, 'dossier_events is append-only'); END;
