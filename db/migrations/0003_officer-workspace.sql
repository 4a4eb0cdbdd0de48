CREATE TABLE `notifications` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`dossier_id` integer,
	`kind` text NOT NULL,
	`recipient` text NOT NULL,
	`language` text NOT NULL,
	`template` text NOT NULL,
	`subject` text,
	`body` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`last_error` text,
	`provider_message_id` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`sent_at` integer,
	FOREIGN KEY (`dossier_id`) REFERENCES `dossiers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `notifications_status_idx` ON `notifications` (`status`,`id`);--> statement-breakpoint
CREATE INDEX `notifications_dossier_idx` ON `notifications` (`dossier_id`);--> statement-breakpoint
CREATE TABLE `supplement_requests` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`dossier_id` integer NOT NULL,
	`requested_by` integer NOT NULL,
	`message` text NOT NULL,
	`items` text NOT NULL,
	`requested_at` integer NOT NULL,
	`answered_at` integer,
	FOREIGN KEY (`dossier_id`) REFERENCES `dossiers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`requested_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `supplement_requests_dossier_idx` ON `supplement_requests` (`dossier_id`,`id`);--> statement-breakpoint
CREATE UNIQUE INDEX `supplement_requests_one_open_idx` ON `supplement_requests` (`dossier_id`) WHERE answered_at is null;--> statement-breakpoint
-- dossiers.applicant_id becomes nullable, which SQLite can only do by rebuilding the table (the
-- procedure of sqlite.org/lang_altertable.html). openDatabase runs migrations with foreign keys off and
-- checks them afterwards, because the pragma below is a no-op inside the migrator's transaction.
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_dossiers` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`receipt_code` text,
	`procedure_id` integer NOT NULL,
	`agency_id` integer NOT NULL,
	`form_version` integer NOT NULL,
	`applicant_id` integer,
	`submitted_by` integer,
	`channel` text NOT NULL,
	`status` integer NOT NULL,
	`answers` text NOT NULL,
	`language` text NOT NULL,
	`delivery_mode` text,
	`applicant_name` text,
	`applicant_name_folded` text,
	`applicant_phone` text,
	`applicant_cccd` text,
	`applicant_email` text,
	`submitted_at` integer,
	`due_on` text,
	`paused_at` integer,
	`paused_days` integer DEFAULT 0 NOT NULL,
	`rescheduled_on` text,
	`finished_at` integer,
	`timeliness` text,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`procedure_id`) REFERENCES `procedures`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`agency_id`) REFERENCES `agencies`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`applicant_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`submitted_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "dossiers_status_check" CHECK("__new_dossiers"."status" between 0 and 10)
);
--> statement-breakpoint
INSERT INTO `__new_dossiers`("id", "receipt_code", "procedure_id", "agency_id", "form_version", "applicant_id", "channel", "status", "answers", "language", "delivery_mode", "applicant_name", "applicant_name_folded", "applicant_phone", "applicant_cccd", "submitted_at", "due_on", "version", "created_at", "updated_at") SELECT "id", "receipt_code", "procedure_id", "agency_id", "form_version", "applicant_id", "channel", "status", "answers", "language", "delivery_mode", "applicant_name", "applicant_name_folded", "applicant_phone", "applicant_cccd", "submitted_at", "due_on", "version", "created_at", "created_at" FROM `dossiers`;--> statement-breakpoint
DROP TABLE `dossiers`;--> statement-breakpoint
ALTER TABLE `__new_dossiers` RENAME TO `dossiers`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE UNIQUE INDEX `dossiers_receipt_code_unique` ON `dossiers` (`receipt_code`);--> statement-breakpoint
CREATE INDEX `dossiers_applicant_idx` ON `dossiers` (`applicant_id`,`status`);--> statement-breakpoint
CREATE INDEX `dossiers_agency_idx` ON `dossiers` (`agency_id`,`status`,`submitted_at`);--> statement-breakpoint
CREATE INDEX `dossiers_procedure_idx` ON `dossiers` (`procedure_id`);--> statement-breakpoint
CREATE INDEX `dossiers_agency_due_idx` ON `dossiers` (`agency_id`,`due_on`);--> statement-breakpoint
CREATE INDEX `dossiers_cccd_idx` ON `dossiers` (`applicant_cccd`);--> statement-breakpoint
-- procedures.created_at always held the last update (the field was misnamed): rename, keep the values.
ALTER TABLE `procedures` RENAME COLUMN `created_at` TO `updated_at`;--> statement-breakpoint
-- SQLite cannot add a column with a computed default; the code always sets updated_at for shipments.
ALTER TABLE `shipments` ADD `updated_at` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
UPDATE `shipments` SET `updated_at` = `created_at`;--> statement-breakpoint
ALTER TABLE `users` ADD `disabled_at` integer;--> statement-breakpoint
CREATE INDEX `users_agency_idx` ON `users` (`agency_id`,`role`);--> statement-breakpoint
CREATE INDEX `dossier_events_actor_idx` ON `dossier_events` (`actor_id`,`id`);--> statement-breakpoint
CREATE INDEX `dossier_events_agency_idx` ON `dossier_events` (`agency_id`,`id`);