CREATE TABLE `business_members` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`tax_code` text NOT NULL,
	`user_id` integer NOT NULL,
	`added_by` integer NOT NULL,
	`added_at` integer NOT NULL,
	`removed_at` integer,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`added_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `business_members_tax_code_idx` ON `business_members` (`tax_code`,`removed_at`);--> statement-breakpoint
CREATE INDEX `business_members_user_idx` ON `business_members` (`user_id`,`removed_at`);