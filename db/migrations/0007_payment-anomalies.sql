CREATE TABLE `payment_anomalies` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`payment_id` integer NOT NULL,
	`dossier_id` integer NOT NULL,
	`kind` text NOT NULL,
	`status_when_received` text NOT NULL,
	`amount_vnd` integer NOT NULL,
	`gateway_transaction_no` text NOT NULL,
	`bank_code` text,
	`paid_at` integer,
	`received_by` text NOT NULL,
	`received_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`resolved_at` integer,
	`resolved_by` integer,
	`resolution_note` text,
	FOREIGN KEY (`payment_id`) REFERENCES `payments`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`dossier_id`) REFERENCES `dossiers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`resolved_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `payment_anomalies_txn_idx` ON `payment_anomalies` (`payment_id`,`gateway_transaction_no`);--> statement-breakpoint
CREATE INDEX `payment_anomalies_open_idx` ON `payment_anomalies` (`resolved_at`);--> statement-breakpoint
CREATE TABLE `payment_callback_refusals` (
	`day` text NOT NULL,
	`kind` text NOT NULL,
	`reason` text NOT NULL,
	`count` integer DEFAULT 0 NOT NULL,
	`last_at` integer NOT NULL,
	PRIMARY KEY(`day`, `kind`, `reason`)
);
