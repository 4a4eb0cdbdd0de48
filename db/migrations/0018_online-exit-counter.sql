-- The exits already logged are counted at the first start-up after this migration (rebuildRollupsIfMissing recounts the log).
ALTER TABLE `subtree_totals_daily` ADD `online_exit` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `subtree_totals_monthly` ADD `online_exit` integer DEFAULT 0 NOT NULL;