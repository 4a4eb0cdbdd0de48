ALTER TABLE `procedures` ADD `result_fields` text;--> statement-breakpoint
ALTER TABLE `results` ADD `source` text DEFAULT 'fields' NOT NULL;--> statement-breakpoint
ALTER TABLE `results` ADD `content` text;--> statement-breakpoint
ALTER TABLE `results` ADD `file_name` text;