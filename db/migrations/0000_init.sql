CREATE TABLE `agencies` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`code` text NOT NULL,
	`parent_id` integer,
	`kind` text NOT NULL,
	`name_vi` text NOT NULL,
	`name_en` text,
	`path` text NOT NULL,
	`depth` integer NOT NULL,
	`dissolved_on` text,
	`successor_id` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `agencies_code_unique` ON `agencies` (`code`);--> statement-breakpoint
CREATE INDEX `agencies_parent_idx` ON `agencies` (`parent_id`);--> statement-breakpoint
CREATE INDEX `agencies_path_idx` ON `agencies` (`path`);--> statement-breakpoint
CREATE TABLE `attachments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`dossier_id` integer NOT NULL,
	`field_name` text NOT NULL,
	`file_name` text NOT NULL,
	`mime_type` text NOT NULL,
	`size_bytes` integer NOT NULL,
	`sha256` text NOT NULL,
	`storage_key` text NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`dossier_id`) REFERENCES `dossiers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `attachments_storage_key_unique` ON `attachments` (`storage_key`);--> statement-breakpoint
CREATE INDEX `attachments_dossier_idx` ON `attachments` (`dossier_id`,`field_name`);--> statement-breakpoint
CREATE TABLE `dossier_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`type` text NOT NULL,
	`occurred_at` integer NOT NULL,
	`procedure_id` integer,
	`agency_id` integer,
	`dossier_id` integer,
	`actor_id` integer,
	`actor_role` text,
	`channel` text,
	`from_status` integer,
	`to_status` integer,
	`data` text
);
--> statement-breakpoint
CREATE INDEX `dossier_events_dossier_idx` ON `dossier_events` (`dossier_id`,`id`);--> statement-breakpoint
CREATE INDEX `dossier_events_type_time_idx` ON `dossier_events` (`type`,`occurred_at`);--> statement-breakpoint
CREATE TABLE `dossiers` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`receipt_code` text,
	`procedure_id` integer NOT NULL,
	`agency_id` integer NOT NULL,
	`form_version` integer NOT NULL,
	`applicant_id` integer NOT NULL,
	`channel` text NOT NULL,
	`status` integer NOT NULL,
	`answers` text NOT NULL,
	`language` text NOT NULL,
	`delivery_mode` text,
	`applicant_name` text,
	`applicant_name_folded` text,
	`applicant_phone` text,
	`applicant_cccd` text,
	`submitted_at` integer,
	`due_on` text,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`procedure_id`) REFERENCES `procedures`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`agency_id`) REFERENCES `agencies`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`applicant_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "dossiers_status_check" CHECK("dossiers"."status" between 0 and 10)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `dossiers_receipt_code_unique` ON `dossiers` (`receipt_code`);--> statement-breakpoint
CREATE INDEX `dossiers_applicant_idx` ON `dossiers` (`applicant_id`,`status`);--> statement-breakpoint
CREATE INDEX `dossiers_agency_idx` ON `dossiers` (`agency_id`,`status`,`submitted_at`);--> statement-breakpoint
CREATE INDEX `dossiers_procedure_idx` ON `dossiers` (`procedure_id`);--> statement-breakpoint
CREATE TABLE `fields` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`code` text NOT NULL,
	`name_vi` text NOT NULL,
	`name_en` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `fields_code_unique` ON `fields` (`code`);--> statement-breakpoint
CREATE TABLE `procedure_forms` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`procedure_id` integer NOT NULL,
	`version` integer NOT NULL,
	`definition` text NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`procedure_id`) REFERENCES `procedures`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `procedure_forms_version_idx` ON `procedure_forms` (`procedure_id`,`version`);--> statement-breakpoint
CREATE TABLE `procedures` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`code` text NOT NULL,
	`name_vi` text NOT NULL,
	`name_en` text,
	`agency_id` integer NOT NULL,
	`field_id` integer NOT NULL,
	`level` integer NOT NULL,
	`processing_days` integer NOT NULL,
	`fee_vnd` integer DEFAULT 0 NOT NULL,
	`details` text NOT NULL,
	`delivery_modes` text NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`agency_id`) REFERENCES `agencies`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`field_id`) REFERENCES `fields`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "procedures_level_check" CHECK("procedures"."level" between 1 and 4)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `procedures_code_unique` ON `procedures` (`code`);--> statement-breakpoint
CREATE INDEX `procedures_agency_idx` ON `procedures` (`agency_id`,`level`);--> statement-breakpoint
CREATE INDEX `procedures_field_idx` ON `procedures` (`field_id`);--> statement-breakpoint
CREATE INDEX `procedures_level_idx` ON `procedures` (`level`,`code`);--> statement-breakpoint
CREATE TABLE `sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` integer NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`expires_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `sessions_user_idx` ON `sessions` (`user_id`);--> statement-breakpoint
CREATE TABLE `users` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`email` text NOT NULL,
	`full_name` text NOT NULL,
	`phone` text,
	`password_hash` text NOT NULL,
	`role` text DEFAULT 'citizen' NOT NULL,
	`agency_id` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`agency_id`) REFERENCES `agencies`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_email_unique` ON `users` (`email`);