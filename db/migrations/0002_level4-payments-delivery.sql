CREATE TABLE `payment_callbacks` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`payment_id` integer,
	`kind` text NOT NULL,
	`params` text NOT NULL,
	`answer` text NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`payment_id`) REFERENCES `payments`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `payment_callbacks_payment_idx` ON `payment_callbacks` (`payment_id`);--> statement-breakpoint
CREATE TABLE `payments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`dossier_id` integer NOT NULL,
	`txn_ref` text NOT NULL,
	`fee_vnd` integer NOT NULL,
	`postage_vnd` integer DEFAULT 0 NOT NULL,
	`amount_vnd` integer NOT NULL,
	`status` text NOT NULL,
	`response_code` text,
	`gateway_transaction_no` text,
	`bank_code` text,
	`paid_at` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`expires_at` integer NOT NULL,
	`settled_at` integer,
	`settled_by` text,
	FOREIGN KEY (`dossier_id`) REFERENCES `dossiers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `payments_txn_ref_unique` ON `payments` (`txn_ref`);--> statement-breakpoint
CREATE INDEX `payments_dossier_idx` ON `payments` (`dossier_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `payments_one_pending_idx` ON `payments` (`dossier_id`) WHERE status = 'pending';--> statement-breakpoint
CREATE UNIQUE INDEX `payments_one_paid_idx` ON `payments` (`dossier_id`) WHERE status = 'paid';--> statement-breakpoint
CREATE TABLE `ratings` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`dossier_id` integer NOT NULL,
	`rating` text NOT NULL,
	`comment` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`dossier_id`) REFERENCES `dossiers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `ratings_dossier_id_unique` ON `ratings` (`dossier_id`);--> statement-breakpoint
CREATE TABLE `results` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`dossier_id` integer NOT NULL,
	`verification_code` text NOT NULL,
	`sha256` text NOT NULL,
	`signature` text NOT NULL,
	`storage_key` text NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`dossier_id`) REFERENCES `dossiers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `results_dossier_id_unique` ON `results` (`dossier_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `results_verification_code_unique` ON `results` (`verification_code`);--> statement-breakpoint
CREATE UNIQUE INDEX `results_storage_key_unique` ON `results` (`storage_key`);--> statement-breakpoint
CREATE TABLE `shipments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`dossier_id` integer NOT NULL,
	`tracking_number` text NOT NULL,
	`status` text NOT NULL,
	`address` text NOT NULL,
	`postage_vnd` integer NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`dossier_id`) REFERENCES `dossiers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `shipments_dossier_id_unique` ON `shipments` (`dossier_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `shipments_tracking_number_unique` ON `shipments` (`tracking_number`);--> statement-breakpoint
CREATE TABLE `sim_gateway_transactions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`tmn_code` text NOT NULL,
	`txn_ref` text NOT NULL,
	`amount` text NOT NULL,
	`order_info` text NOT NULL,
	`return_url` text NOT NULL,
	`create_date` text NOT NULL,
	`expire_date` text NOT NULL,
	`locale` text NOT NULL,
	`response_code` text,
	`transaction_no` text,
	`bank_code` text,
	`pay_date` text,
	`ipn_mode` text DEFAULT 'deliver' NOT NULL,
	`ipn_answer` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sim_gateway_transactions_transaction_no_unique` ON `sim_gateway_transactions` (`transaction_no`);--> statement-breakpoint
CREATE UNIQUE INDEX `sim_gateway_txn_idx` ON `sim_gateway_transactions` (`tmn_code`,`txn_ref`);--> statement-breakpoint
CREATE TABLE `sim_post_parcels` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`tracking_number` text NOT NULL,
	`address` text NOT NULL,
	`status` text NOT NULL,
	`history` text NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sim_post_parcels_tracking_number_unique` ON `sim_post_parcels` (`tracking_number`);