ALTER TABLE `procedures` ADD `form_version` integer;--> statement-breakpoint
ALTER TABLE `procedures` ADD `payment_online` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `procedures` ADD `in_person_step` text;--> statement-breakpoint
ALTER TABLE `procedures` ADD `online_service` text;--> statement-breakpoint
-- Existing procedures (decision 031): the newest form of each is the published one, a level-4 procedure's fee was
-- payable online, and the class follows the stored level (no in-person step is known yet). Levels are derived again
-- from these facts at the next change of any of them (and the seeded ones at every seed run).
UPDATE `procedures` SET `form_version` = (SELECT max(`version`) FROM `procedure_forms` WHERE `procedure_forms`.`procedure_id` = `procedures`.`id`);--> statement-breakpoint
UPDATE `procedures` SET `payment_online` = (`level` = 4);--> statement-breakpoint
UPDATE `procedures` SET `online_service` = CASE `level` WHEN 4 THEN 'full' WHEN 3 THEN 'partial' ELSE NULL END;
