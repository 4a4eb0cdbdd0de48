ALTER TABLE `agencies` ADD `one_stop_address` text;--> statement-breakpoint
ALTER TABLE `agencies` ADD `one_stop_hours_vi` text;--> statement-breakpoint
ALTER TABLE `agencies` ADD `one_stop_hours_en` text;--> statement-breakpoint
ALTER TABLE `agencies` ADD `one_stop_phone` text;