DROP INDEX `attachments_storage_key_unique`;--> statement-breakpoint
CREATE INDEX `attachments_storage_key_idx` ON `attachments` (`storage_key`);--> statement-breakpoint
ALTER TABLE `subtree_totals_daily` ADD `document_reused` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `subtree_totals_monthly` ADD `document_reused` integer DEFAULT 0 NOT NULL;