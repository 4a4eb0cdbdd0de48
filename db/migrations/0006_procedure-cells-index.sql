-- A procedure's daily_counts cells, found without scanning the table: the level-change trigger of 0005 reads them
-- inside the administrator's write transaction, which at 10 M events blocked every writer for seconds.
CREATE INDEX `daily_counts_procedure_idx` ON `daily_counts` (`procedure_id`);