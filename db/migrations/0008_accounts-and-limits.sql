CREATE TABLE `attempt_counters` (
	`key` text PRIMARY KEY NOT NULL,
	`window_start` integer NOT NULL,
	`count` integer NOT NULL,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `attempt_counters_expires_idx` ON `attempt_counters` (`expires_at`);--> statement-breakpoint
CREATE TABLE `contact_challenges` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` integer NOT NULL,
	`kind` text NOT NULL,
	`target` text NOT NULL,
	`secret_hash` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`expires_at` integer NOT NULL,
	`used_at` integer,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `contact_challenges_user_idx` ON `contact_challenges` (`user_id`,`kind`);--> statement-breakpoint
CREATE INDEX `contact_challenges_secret_idx` ON `contact_challenges` (`secret_hash`);--> statement-breakpoint
ALTER TABLE `users` ADD `email_unconfirmed_since` integer;--> statement-breakpoint
ALTER TABLE `users` ADD `phone_confirmed_at` integer;