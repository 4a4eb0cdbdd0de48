-- The catalog's size per agency and level, and each procedure's last day with a portal dossier.
CREATE TABLE `catalog_counts` (
	`agency_id` integer NOT NULL,
	`level` integer NOT NULL,
	`count` integer NOT NULL,
	PRIMARY KEY(`agency_id`, `level`)
);
--> statement-breakpoint
CREATE TABLE `procedure_portal_use` (
	`procedure_id` integer PRIMARY KEY NOT NULL,
	`agency_id` integer NOT NULL,
	`level` integer NOT NULL,
	`last_day` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `procedure_portal_use_agency_idx` ON `procedure_portal_use` (`agency_id`,`level`,`last_day`);--> statement-breakpoint
CREATE INDEX `procedure_portal_use_last_day_idx` ON `procedure_portal_use` (`last_day`);--> statement-breakpoint
-- Counters per agency subtree (docs/decisions/009-subtree-counters.md), and the same summed over
-- channel and level with the counts in columns (subtree_totals_*). WITHOUT ROWID, added by hand
-- (drizzle-kit cannot say it): the primary key then holds the counts, so every read is one index range.
CREATE TABLE `subtree_daily` (
	`day` text NOT NULL,
	`agency_id` integer NOT NULL,
	`metric` text NOT NULL,
	`channel` text NOT NULL,
	`level` integer NOT NULL,
	`count` integer NOT NULL,
	PRIMARY KEY(`agency_id`, `day`, `metric`, `channel`, `level`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `subtree_monthly` (
	`month` text NOT NULL,
	`agency_id` integer NOT NULL,
	`metric` text NOT NULL,
	`channel` text NOT NULL,
	`level` integer NOT NULL,
	`count` integer NOT NULL,
	PRIMARY KEY(`agency_id`, `month`, `metric`, `channel`, `level`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `subtree_totals_daily` (
	`agency_id` integer NOT NULL,
	`day` text NOT NULL,
	`viewed` integer NOT NULL,
	`template_downloaded` integer NOT NULL,
	`form_started` integer NOT NULL,
	`submitted` integer NOT NULL,
	`submitted_fee` integer NOT NULL,
	`received` integer NOT NULL,
	`not_received` integer NOT NULL,
	`supplement_requested` integer NOT NULL,
	`payment_requested` integer NOT NULL,
	`withdrawn` integer NOT NULL,
	`stopped` integer NOT NULL,
	`result_ready` integer NOT NULL,
	`returned` integer NOT NULL,
	`finished_early` integer NOT NULL,
	`finished_on_time` integer NOT NULL,
	`finished_late` integer NOT NULL,
	`paid_online` integer NOT NULL,
	`rated_very_satisfied` integer NOT NULL,
	`rated_satisfied` integer NOT NULL,
	`rated_not_satisfied` integer NOT NULL,
	`result_downloaded` integer NOT NULL,
	`submitted_online` integer NOT NULL,
	`submitted_assisted` integer NOT NULL,
	`submitted_counter` integer NOT NULL,
	`submitted_level34` integer NOT NULL,
	`submitted_level34_portal` integer NOT NULL,
	PRIMARY KEY(`agency_id`, `day`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `subtree_totals_monthly` (
	`agency_id` integer NOT NULL,
	`month` text NOT NULL,
	`viewed` integer NOT NULL,
	`template_downloaded` integer NOT NULL,
	`form_started` integer NOT NULL,
	`submitted` integer NOT NULL,
	`submitted_fee` integer NOT NULL,
	`received` integer NOT NULL,
	`not_received` integer NOT NULL,
	`supplement_requested` integer NOT NULL,
	`payment_requested` integer NOT NULL,
	`withdrawn` integer NOT NULL,
	`stopped` integer NOT NULL,
	`result_ready` integer NOT NULL,
	`returned` integer NOT NULL,
	`finished_early` integer NOT NULL,
	`finished_on_time` integer NOT NULL,
	`finished_late` integer NOT NULL,
	`paid_online` integer NOT NULL,
	`rated_very_satisfied` integer NOT NULL,
	`rated_satisfied` integer NOT NULL,
	`rated_not_satisfied` integer NOT NULL,
	`result_downloaded` integer NOT NULL,
	`submitted_online` integer NOT NULL,
	`submitted_assisted` integer NOT NULL,
	`submitted_counter` integer NOT NULL,
	`submitted_level34` integer NOT NULL,
	`submitted_level34_portal` integer NOT NULL,
	PRIMARY KEY(`agency_id`, `month`)
) WITHOUT ROWID;
--> statement-breakpoint
-- The subtree tables are the sum of daily_counts, kept so by these triggers whoever writes a
-- counter (recordEvent, a repair, a test fixture). A cell adds to its agency, every ancestor and
-- 0 (national): the ids of its agency's path "/12/40/77/" read as the JSON array [0,12,40,77].
-- A cell whose agency is unknown adds nowhere. The level is the procedure's current one (0: none).
CREATE TRIGGER `daily_counts_subtree_insert` AFTER INSERT ON `daily_counts`
BEGIN
  INSERT INTO `subtree_daily` (`agency_id`, `day`, `metric`, `channel`, `level`, `count`)
    SELECT s.value, new.day, new.metric, new.channel, coalesce((SELECT p.level FROM procedures p WHERE p.id = new.procedure_id), 0), new.count
    FROM agencies a, json_each('[0' || replace(rtrim(a.path, '/'), '/', ',') || ']') s WHERE a.id = new.agency_id
    ON CONFLICT DO UPDATE SET count = count + excluded.count;
  INSERT INTO `subtree_monthly` (`agency_id`, `month`, `metric`, `channel`, `level`, `count`)
    SELECT s.value, substr(new.day, 1, 7), new.metric, new.channel, coalesce((SELECT p.level FROM procedures p WHERE p.id = new.procedure_id), 0), new.count
    FROM agencies a, json_each('[0' || replace(rtrim(a.path, '/'), '/', ',') || ']') s WHERE a.id = new.agency_id
    ON CONFLICT DO UPDATE SET count = count + excluded.count;
END;
--> statement-breakpoint
-- recordEvent's upsert of an existing cell lands here: the difference goes to the same rows.
CREATE TRIGGER `daily_counts_subtree_update` AFTER UPDATE OF `count` ON `daily_counts` WHEN new.count <> old.count
BEGIN
  INSERT INTO `subtree_daily` (`agency_id`, `day`, `metric`, `channel`, `level`, `count`)
    SELECT s.value, new.day, new.metric, new.channel, coalesce((SELECT p.level FROM procedures p WHERE p.id = new.procedure_id), 0), new.count - old.count
    FROM agencies a, json_each('[0' || replace(rtrim(a.path, '/'), '/', ',') || ']') s WHERE a.id = new.agency_id
    ON CONFLICT DO UPDATE SET count = count + excluded.count;
  INSERT INTO `subtree_monthly` (`agency_id`, `month`, `metric`, `channel`, `level`, `count`)
    SELECT s.value, substr(new.day, 1, 7), new.metric, new.channel, coalesce((SELECT p.level FROM procedures p WHERE p.id = new.procedure_id), 0), new.count - old.count
    FROM agencies a, json_each('[0' || replace(rtrim(a.path, '/'), '/', ',') || ']') s WHERE a.id = new.agency_id
    ON CONFLICT DO UPDATE SET count = count + excluded.count;
END;
--> statement-breakpoint
-- A cell's key never changes (the update trigger above relies on it): delete and insert instead.
CREATE TRIGGER `daily_counts_fixed_key` BEFORE UPDATE OF `metric`, `day`, `agency_id`, `procedure_id`, `channel` ON `daily_counts`
  WHEN new.metric <> old.metric OR new.day <> old.day OR new.agency_id <> old.agency_id OR new.procedure_id <> old.procedure_id OR new.channel <> old.channel
BEGIN SELECT RAISE(ABORT, 'a daily_counts key is fixed: delete the cell and insert another'); END;
--> statement-breakpoint
CREATE TRIGGER `daily_counts_subtree_delete` AFTER DELETE ON `daily_counts`
BEGIN
  INSERT INTO `subtree_daily` (`agency_id`, `day`, `metric`, `channel`, `level`, `count`)
    SELECT s.value, old.day, old.metric, old.channel, coalesce((SELECT p.level FROM procedures p WHERE p.id = old.procedure_id), 0), -old.count
    FROM agencies a, json_each('[0' || replace(rtrim(a.path, '/'), '/', ',') || ']') s WHERE a.id = old.agency_id
    ON CONFLICT DO UPDATE SET count = count + excluded.count;
  INSERT INTO `subtree_monthly` (`agency_id`, `month`, `metric`, `channel`, `level`, `count`)
    SELECT s.value, substr(old.day, 1, 7), old.metric, old.channel, coalesce((SELECT p.level FROM procedures p WHERE p.id = old.procedure_id), 0), -old.count
    FROM agencies a, json_each('[0' || replace(rtrim(a.path, '/'), '/', ',') || ']') s WHERE a.id = old.agency_id
    ON CONFLICT DO UPDATE SET count = count + excluded.count;
END;
--> statement-breakpoint
-- A procedure's new level: its counts move from the old level's rows to the new one's, in the
-- administrator's transaction (amounts from its daily_counts cells; rows left at 0 are harmless).
CREATE TRIGGER `procedures_level_subtree` AFTER UPDATE OF `level` ON `procedures` WHEN new.level IS NOT old.level
BEGIN
  INSERT INTO `subtree_daily` (`agency_id`, `day`, `metric`, `channel`, `level`, `count`)
    SELECT s.value, dc.day, dc.metric, dc.channel, m.level, sum(m.sign * dc.count)
    FROM daily_counts dc JOIN agencies a ON a.id = dc.agency_id, json_each('[0' || replace(rtrim(a.path, '/'), '/', ',') || ']') s,
      (SELECT old.level AS level, -1 AS sign UNION ALL SELECT new.level, 1) m
    WHERE dc.procedure_id = new.id
    GROUP BY s.value, dc.day, dc.metric, dc.channel, m.level
    ON CONFLICT DO UPDATE SET count = count + excluded.count;
  INSERT INTO `subtree_monthly` (`agency_id`, `month`, `metric`, `channel`, `level`, `count`)
    SELECT s.value, substr(dc.day, 1, 7), dc.metric, dc.channel, m.level, sum(m.sign * dc.count)
    FROM daily_counts dc JOIN agencies a ON a.id = dc.agency_id, json_each('[0' || replace(rtrim(a.path, '/'), '/', ',') || ']') s,
      (SELECT old.level AS level, -1 AS sign UNION ALL SELECT new.level, 1) m
    WHERE dc.procedure_id = new.id
    GROUP BY s.value, substr(dc.day, 1, 7), dc.metric, dc.channel, m.level
    ON CONFLICT DO UPDATE SET count = count + excluded.count;
END;
--> statement-breakpoint
-- Online services used (docs/metrics.md): each procedure's last day with a portal dossier. Named
-- daily_counts_subtree_* like the triggers above, so a bulk load drops and recomputes it with them.
CREATE TRIGGER `daily_counts_subtree_use_insert` AFTER INSERT ON `daily_counts`
  WHEN new.metric = 'submitted' AND new.channel IN ('online', 'assisted') AND new.count > 0
BEGIN
  INSERT INTO `procedure_portal_use` (`procedure_id`, `agency_id`, `level`, `last_day`)
    SELECT p.id, p.agency_id, p.level, new.day FROM procedures p WHERE p.id = new.procedure_id
    ON CONFLICT DO UPDATE SET last_day = max(last_day, excluded.last_day);
END;
--> statement-breakpoint
CREATE TRIGGER `daily_counts_subtree_use_update` AFTER UPDATE OF `count` ON `daily_counts`
  WHEN new.metric = 'submitted' AND new.channel IN ('online', 'assisted') AND new.count > 0 AND old.count <= 0
BEGIN
  INSERT INTO `procedure_portal_use` (`procedure_id`, `agency_id`, `level`, `last_day`)
    SELECT p.id, p.agency_id, p.level, new.day FROM procedures p WHERE p.id = new.procedure_id
    ON CONFLICT DO UPDATE SET last_day = max(last_day, excluded.last_day);
END;
--> statement-breakpoint
-- A cell that stops counting (deleted, or corrected to 0) on its procedure's last day: that day is looked up again (rare: repairs).
CREATE TRIGGER `daily_counts_subtree_use_delete` AFTER DELETE ON `daily_counts`
  WHEN old.metric = 'submitted' AND old.channel IN ('online', 'assisted') AND old.count > 0
    AND old.day >= (SELECT last_day FROM procedure_portal_use WHERE procedure_id = old.procedure_id)
BEGIN
  DELETE FROM `procedure_portal_use` WHERE procedure_id = old.procedure_id;
  INSERT INTO `procedure_portal_use` (`procedure_id`, `agency_id`, `level`, `last_day`)
    SELECT p.id, p.agency_id, p.level, max(dc.day) FROM procedures p JOIN daily_counts dc ON dc.procedure_id = p.id
    WHERE p.id = old.procedure_id AND dc.metric = 'submitted' AND dc.channel IN ('online', 'assisted') AND dc.count > 0 GROUP BY p.id;
END;
--> statement-breakpoint
CREATE TRIGGER `daily_counts_subtree_use_decrease` AFTER UPDATE OF `count` ON `daily_counts`
  WHEN old.metric = 'submitted' AND old.channel IN ('online', 'assisted') AND old.count > 0 AND new.count <= 0
    AND old.day >= (SELECT last_day FROM procedure_portal_use WHERE procedure_id = old.procedure_id)
BEGIN
  DELETE FROM `procedure_portal_use` WHERE procedure_id = old.procedure_id;
  INSERT INTO `procedure_portal_use` (`procedure_id`, `agency_id`, `level`, `last_day`)
    SELECT p.id, p.agency_id, p.level, max(dc.day) FROM procedures p JOIN daily_counts dc ON dc.procedure_id = p.id
    WHERE p.id = old.procedure_id AND dc.metric = 'submitted' AND dc.channel IN ('online', 'assisted') AND dc.count > 0 GROUP BY p.id;
END;
--> statement-breakpoint
CREATE TRIGGER `procedures_portal_use` AFTER UPDATE OF `agency_id`, `level` ON `procedures`
BEGIN
  UPDATE `procedure_portal_use` SET agency_id = new.agency_id, level = new.level WHERE procedure_id = new.id;
END;
--> statement-breakpoint
-- The catalog's size per agency and level follows the procedures table.
CREATE TRIGGER `procedures_catalog_insert` AFTER INSERT ON `procedures`
BEGIN
  INSERT INTO `catalog_counts` (`agency_id`, `level`, `count`) VALUES (new.agency_id, new.level, 1) ON CONFLICT DO UPDATE SET count = count + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `procedures_catalog_delete` AFTER DELETE ON `procedures`
BEGIN
  UPDATE `catalog_counts` SET count = count - 1 WHERE agency_id = old.agency_id AND level = old.level;
END;
--> statement-breakpoint
CREATE TRIGGER `procedures_catalog_update` AFTER UPDATE OF `agency_id`, `level` ON `procedures`
  WHEN new.agency_id <> old.agency_id OR new.level <> old.level
BEGIN
  UPDATE `catalog_counts` SET count = count - 1 WHERE agency_id = old.agency_id AND level = old.level;
  INSERT INTO `catalog_counts` (`agency_id`, `level`, `count`) VALUES (new.agency_id, new.level, 1) ON CONFLICT DO UPDATE SET count = count + 1;
END;
--> statement-breakpoint
INSERT INTO `catalog_counts` (`agency_id`, `level`, `count`) SELECT agency_id, level, count(*) FROM procedures WHERE true GROUP BY agency_id, level;

--> statement-breakpoint
-- The totals follow the subtree rows: each counter to its column, submissions also to their
-- channel's and, for a procedure of level 3 or 4, to the level-3/4 ones (as addRollupRow in
-- app/core/statistics/metrics.ts does; npm run stats:verify compares the two).
CREATE TRIGGER `subtree_daily_totals_insert` AFTER INSERT ON `subtree_daily`
BEGIN
  INSERT INTO `subtree_totals_daily` (`agency_id`, `day`, `viewed`, `template_downloaded`, `form_started`, `submitted`, `submitted_fee`, `received`, `not_received`, `supplement_requested`, `payment_requested`, `withdrawn`, `stopped`, `result_ready`, `returned`, `finished_early`, `finished_on_time`, `finished_late`, `paid_online`, `rated_very_satisfied`, `rated_satisfied`, `rated_not_satisfied`, `result_downloaded`, `submitted_online`, `submitted_assisted`, `submitted_counter`, `submitted_level34`, `submitted_level34_portal`)
    VALUES (new.agency_id, new.day,
      (new.metric = 'viewed') * new.count,
      (new.metric = 'template_downloaded') * new.count,
      (new.metric = 'form_started') * new.count,
      (new.metric = 'submitted') * new.count,
      (new.metric = 'submitted_fee') * new.count,
      (new.metric = 'received') * new.count,
      (new.metric = 'not_received') * new.count,
      (new.metric = 'supplement_requested') * new.count,
      (new.metric = 'payment_requested') * new.count,
      (new.metric = 'withdrawn') * new.count,
      (new.metric = 'stopped') * new.count,
      (new.metric = 'result_ready') * new.count,
      (new.metric = 'returned') * new.count,
      (new.metric = 'finished_early') * new.count,
      (new.metric = 'finished_on_time') * new.count,
      (new.metric = 'finished_late') * new.count,
      (new.metric = 'paid_online') * new.count,
      (new.metric = 'rated_very_satisfied') * new.count,
      (new.metric = 'rated_satisfied') * new.count,
      (new.metric = 'rated_not_satisfied') * new.count,
      (new.metric = 'result_downloaded') * new.count,
      (new.metric = 'submitted' AND new.channel = 'online') * new.count,
      (new.metric = 'submitted' AND new.channel = 'assisted') * new.count,
      (new.metric = 'submitted' AND new.channel = 'counter') * new.count,
      (new.metric = 'submitted' AND new.level >= 3) * new.count,
      (new.metric = 'submitted' AND new.level >= 3 AND new.channel IN ('online', 'assisted')) * new.count)
    ON CONFLICT DO UPDATE SET viewed = viewed + excluded.viewed, template_downloaded = template_downloaded + excluded.template_downloaded, form_started = form_started + excluded.form_started, submitted = submitted + excluded.submitted, submitted_fee = submitted_fee + excluded.submitted_fee, received = received + excluded.received, not_received = not_received + excluded.not_received, supplement_requested = supplement_requested + excluded.supplement_requested, payment_requested = payment_requested + excluded.payment_requested, withdrawn = withdrawn + excluded.withdrawn, stopped = stopped + excluded.stopped, result_ready = result_ready + excluded.result_ready, returned = returned + excluded.returned, finished_early = finished_early + excluded.finished_early, finished_on_time = finished_on_time + excluded.finished_on_time, finished_late = finished_late + excluded.finished_late, paid_online = paid_online + excluded.paid_online, rated_very_satisfied = rated_very_satisfied + excluded.rated_very_satisfied, rated_satisfied = rated_satisfied + excluded.rated_satisfied, rated_not_satisfied = rated_not_satisfied + excluded.rated_not_satisfied, result_downloaded = result_downloaded + excluded.result_downloaded, submitted_online = submitted_online + excluded.submitted_online, submitted_assisted = submitted_assisted + excluded.submitted_assisted, submitted_counter = submitted_counter + excluded.submitted_counter, submitted_level34 = submitted_level34 + excluded.submitted_level34, submitted_level34_portal = submitted_level34_portal + excluded.submitted_level34_portal;
END;
--> statement-breakpoint
CREATE TRIGGER `subtree_daily_totals_update` AFTER UPDATE OF `count` ON `subtree_daily` WHEN new.count <> old.count
BEGIN
  INSERT INTO `subtree_totals_daily` (`agency_id`, `day`, `viewed`, `template_downloaded`, `form_started`, `submitted`, `submitted_fee`, `received`, `not_received`, `supplement_requested`, `payment_requested`, `withdrawn`, `stopped`, `result_ready`, `returned`, `finished_early`, `finished_on_time`, `finished_late`, `paid_online`, `rated_very_satisfied`, `rated_satisfied`, `rated_not_satisfied`, `result_downloaded`, `submitted_online`, `submitted_assisted`, `submitted_counter`, `submitted_level34`, `submitted_level34_portal`)
    VALUES (new.agency_id, new.day,
      (new.metric = 'viewed') * (new.count - old.count),
      (new.metric = 'template_downloaded') * (new.count - old.count),
      (new.metric = 'form_started') * (new.count - old.count),
      (new.metric = 'submitted') * (new.count - old.count),
      (new.metric = 'submitted_fee') * (new.count - old.count),
      (new.metric = 'received') * (new.count - old.count),
      (new.metric = 'not_received') * (new.count - old.count),
      (new.metric = 'supplement_requested') * (new.count - old.count),
      (new.metric = 'payment_requested') * (new.count - old.count),
      (new.metric = 'withdrawn') * (new.count - old.count),
      (new.metric = 'stopped') * (new.count - old.count),
      (new.metric = 'result_ready') * (new.count - old.count),
      (new.metric = 'returned') * (new.count - old.count),
      (new.metric = 'finished_early') * (new.count - old.count),
      (new.metric = 'finished_on_time') * (new.count - old.count),
      (new.metric = 'finished_late') * (new.count - old.count),
      (new.metric = 'paid_online') * (new.count - old.count),
      (new.metric = 'rated_very_satisfied') * (new.count - old.count),
      (new.metric = 'rated_satisfied') * (new.count - old.count),
      (new.metric = 'rated_not_satisfied') * (new.count - old.count),
      (new.metric = 'result_downloaded') * (new.count - old.count),
      (new.metric = 'submitted' AND new.channel = 'online') * (new.count - old.count),
      (new.metric = 'submitted' AND new.channel = 'assisted') * (new.count - old.count),
      (new.metric = 'submitted' AND new.channel = 'counter') * (new.count - old.count),
      (new.metric = 'submitted' AND new.level >= 3) * (new.count - old.count),
      (new.metric = 'submitted' AND new.level >= 3 AND new.channel IN ('online', 'assisted')) * (new.count - old.count))
    ON CONFLICT DO UPDATE SET viewed = viewed + excluded.viewed, template_downloaded = template_downloaded + excluded.template_downloaded, form_started = form_started + excluded.form_started, submitted = submitted + excluded.submitted, submitted_fee = submitted_fee + excluded.submitted_fee, received = received + excluded.received, not_received = not_received + excluded.not_received, supplement_requested = supplement_requested + excluded.supplement_requested, payment_requested = payment_requested + excluded.payment_requested, withdrawn = withdrawn + excluded.withdrawn, stopped = stopped + excluded.stopped, result_ready = result_ready + excluded.result_ready, returned = returned + excluded.returned, finished_early = finished_early + excluded.finished_early, finished_on_time = finished_on_time + excluded.finished_on_time, finished_late = finished_late + excluded.finished_late, paid_online = paid_online + excluded.paid_online, rated_very_satisfied = rated_very_satisfied + excluded.rated_very_satisfied, rated_satisfied = rated_satisfied + excluded.rated_satisfied, rated_not_satisfied = rated_not_satisfied + excluded.rated_not_satisfied, result_downloaded = result_downloaded + excluded.result_downloaded, submitted_online = submitted_online + excluded.submitted_online, submitted_assisted = submitted_assisted + excluded.submitted_assisted, submitted_counter = submitted_counter + excluded.submitted_counter, submitted_level34 = submitted_level34 + excluded.submitted_level34, submitted_level34_portal = submitted_level34_portal + excluded.submitted_level34_portal;
END;
--> statement-breakpoint
CREATE TRIGGER `subtree_daily_totals_delete` AFTER DELETE ON `subtree_daily`
BEGIN
  INSERT INTO `subtree_totals_daily` (`agency_id`, `day`, `viewed`, `template_downloaded`, `form_started`, `submitted`, `submitted_fee`, `received`, `not_received`, `supplement_requested`, `payment_requested`, `withdrawn`, `stopped`, `result_ready`, `returned`, `finished_early`, `finished_on_time`, `finished_late`, `paid_online`, `rated_very_satisfied`, `rated_satisfied`, `rated_not_satisfied`, `result_downloaded`, `submitted_online`, `submitted_assisted`, `submitted_counter`, `submitted_level34`, `submitted_level34_portal`)
    VALUES (old.agency_id, old.day,
      (old.metric = 'viewed') * -old.count,
      (old.metric = 'template_downloaded') * -old.count,
      (old.metric = 'form_started') * -old.count,
      (old.metric = 'submitted') * -old.count,
      (old.metric = 'submitted_fee') * -old.count,
      (old.metric = 'received') * -old.count,
      (old.metric = 'not_received') * -old.count,
      (old.metric = 'supplement_requested') * -old.count,
      (old.metric = 'payment_requested') * -old.count,
      (old.metric = 'withdrawn') * -old.count,
      (old.metric = 'stopped') * -old.count,
      (old.metric = 'result_ready') * -old.count,
      (old.metric = 'returned') * -old.count,
      (old.metric = 'finished_early') * -old.count,
      (old.metric = 'finished_on_time') * -old.count,
      (old.metric = 'finished_late') * -old.count,
      (old.metric = 'paid_online') * -old.count,
      (old.metric = 'rated_very_satisfied') * -old.count,
      (old.metric = 'rated_satisfied') * -old.count,
      (old.metric = 'rated_not_satisfied') * -old.count,
      (old.metric = 'result_downloaded') * -old.count,
      (old.metric = 'submitted' AND old.channel = 'online') * -old.count,
      (old.metric = 'submitted' AND old.channel = 'assisted') * -old.count,
      (old.metric = 'submitted' AND old.channel = 'counter') * -old.count,
      (old.metric = 'submitted' AND old.level >= 3) * -old.count,
      (old.metric = 'submitted' AND old.level >= 3 AND old.channel IN ('online', 'assisted')) * -old.count)
    ON CONFLICT DO UPDATE SET viewed = viewed + excluded.viewed, template_downloaded = template_downloaded + excluded.template_downloaded, form_started = form_started + excluded.form_started, submitted = submitted + excluded.submitted, submitted_fee = submitted_fee + excluded.submitted_fee, received = received + excluded.received, not_received = not_received + excluded.not_received, supplement_requested = supplement_requested + excluded.supplement_requested, payment_requested = payment_requested + excluded.payment_requested, withdrawn = withdrawn + excluded.withdrawn, stopped = stopped + excluded.stopped, result_ready = result_ready + excluded.result_ready, returned = returned + excluded.returned, finished_early = finished_early + excluded.finished_early, finished_on_time = finished_on_time + excluded.finished_on_time, finished_late = finished_late + excluded.finished_late, paid_online = paid_online + excluded.paid_online, rated_very_satisfied = rated_very_satisfied + excluded.rated_very_satisfied, rated_satisfied = rated_satisfied + excluded.rated_satisfied, rated_not_satisfied = rated_not_satisfied + excluded.rated_not_satisfied, result_downloaded = result_downloaded + excluded.result_downloaded, submitted_online = submitted_online + excluded.submitted_online, submitted_assisted = submitted_assisted + excluded.submitted_assisted, submitted_counter = submitted_counter + excluded.submitted_counter, submitted_level34 = submitted_level34 + excluded.submitted_level34, submitted_level34_portal = submitted_level34_portal + excluded.submitted_level34_portal;
END;
--> statement-breakpoint
CREATE TRIGGER `subtree_monthly_totals_insert` AFTER INSERT ON `subtree_monthly`
BEGIN
  INSERT INTO `subtree_totals_monthly` (`agency_id`, `month`, `viewed`, `template_downloaded`, `form_started`, `submitted`, `submitted_fee`, `received`, `not_received`, `supplement_requested`, `payment_requested`, `withdrawn`, `stopped`, `result_ready`, `returned`, `finished_early`, `finished_on_time`, `finished_late`, `paid_online`, `rated_very_satisfied`, `rated_satisfied`, `rated_not_satisfied`, `result_downloaded`, `submitted_online`, `submitted_assisted`, `submitted_counter`, `submitted_level34`, `submitted_level34_portal`)
    VALUES (new.agency_id, new.month,
      (new.metric = 'viewed') * new.count,
      (new.metric = 'template_downloaded') * new.count,
      (new.metric = 'form_started') * new.count,
      (new.metric = 'submitted') * new.count,
      (new.metric = 'submitted_fee') * new.count,
      (new.metric = 'received') * new.count,
      (new.metric = 'not_received') * new.count,
      (new.metric = 'supplement_requested') * new.count,
      (new.metric = 'payment_requested') * new.count,
      (new.metric = 'withdrawn') * new.count,
      (new.metric = 'stopped') * new.count,
      (new.metric = 'result_ready') * new.count,
      (new.metric = 'returned') * new.count,
      (new.metric = 'finished_early') * new.count,
      (new.metric = 'finished_on_time') * new.count,
      (new.metric = 'finished_late') * new.count,
      (new.metric = 'paid_online') * new.count,
      (new.metric = 'rated_very_satisfied') * new.count,
      (new.metric = 'rated_satisfied') * new.count,
      (new.metric = 'rated_not_satisfied') * new.count,
      (new.metric = 'result_downloaded') * new.count,
      (new.metric = 'submitted' AND new.channel = 'online') * new.count,
      (new.metric = 'submitted' AND new.channel = 'assisted') * new.count,
      (new.metric = 'submitted' AND new.channel = 'counter') * new.count,
      (new.metric = 'submitted' AND new.level >= 3) * new.count,
      (new.metric = 'submitted' AND new.level >= 3 AND new.channel IN ('online', 'assisted')) * new.count)
    ON CONFLICT DO UPDATE SET viewed = viewed + excluded.viewed, template_downloaded = template_downloaded + excluded.template_downloaded, form_started = form_started + excluded.form_started, submitted = submitted + excluded.submitted, submitted_fee = submitted_fee + excluded.submitted_fee, received = received + excluded.received, not_received = not_received + excluded.not_received, supplement_requested = supplement_requested + excluded.supplement_requested, payment_requested = payment_requested + excluded.payment_requested, withdrawn = withdrawn + excluded.withdrawn, stopped = stopped + excluded.stopped, result_ready = result_ready + excluded.result_ready, returned = returned + excluded.returned, finished_early = finished_early + excluded.finished_early, finished_on_time = finished_on_time + excluded.finished_on_time, finished_late = finished_late + excluded.finished_late, paid_online = paid_online + excluded.paid_online, rated_very_satisfied = rated_very_satisfied + excluded.rated_very_satisfied, rated_satisfied = rated_satisfied + excluded.rated_satisfied, rated_not_satisfied = rated_not_satisfied + excluded.rated_not_satisfied, result_downloaded = result_downloaded + excluded.result_downloaded, submitted_online = submitted_online + excluded.submitted_online, submitted_assisted = submitted_assisted + excluded.submitted_assisted, submitted_counter = submitted_counter + excluded.submitted_counter, submitted_level34 = submitted_level34 + excluded.submitted_level34, submitted_level34_portal = submitted_level34_portal + excluded.submitted_level34_portal;
END;
--> statement-breakpoint
CREATE TRIGGER `subtree_monthly_totals_update` AFTER UPDATE OF `count` ON `subtree_monthly` WHEN new.count <> old.count
BEGIN
  INSERT INTO `subtree_totals_monthly` (`agency_id`, `month`, `viewed`, `template_downloaded`, `form_started`, `submitted`, `submitted_fee`, `received`, `not_received`, `supplement_requested`, `payment_requested`, `withdrawn`, `stopped`, `result_ready`, `returned`, `finished_early`, `finished_on_time`, `finished_late`, `paid_online`, `rated_very_satisfied`, `rated_satisfied`, `rated_not_satisfied`, `result_downloaded`, `submitted_online`, `submitted_assisted`, `submitted_counter`, `submitted_level34`, `submitted_level34_portal`)
    VALUES (new.agency_id, new.month,
      (new.metric = 'viewed') * (new.count - old.count),
      (new.metric = 'template_downloaded') * (new.count - old.count),
      (new.metric = 'form_started') * (new.count - old.count),
      (new.metric = 'submitted') * (new.count - old.count),
      (new.metric = 'submitted_fee') * (new.count - old.count),
      (new.metric = 'received') * (new.count - old.count),
      (new.metric = 'not_received') * (new.count - old.count),
      (new.metric = 'supplement_requested') * (new.count - old.count),
      (new.metric = 'payment_requested') * (new.count - old.count),
      (new.metric = 'withdrawn') * (new.count - old.count),
      (new.metric = 'stopped') * (new.count - old.count),
      (new.metric = 'result_ready') * (new.count - old.count),
      (new.metric = 'returned') * (new.count - old.count),
      (new.metric = 'finished_early') * (new.count - old.count),
      (new.metric = 'finished_on_time') * (new.count - old.count),
      (new.metric = 'finished_late') * (new.count - old.count),
      (new.metric = 'paid_online') * (new.count - old.count),
      (new.metric = 'rated_very_satisfied') * (new.count - old.count),
      (new.metric = 'rated_satisfied') * (new.count - old.count),
      (new.metric = 'rated_not_satisfied') * (new.count - old.count),
      (new.metric = 'result_downloaded') * (new.count - old.count),
      (new.metric = 'submitted' AND new.channel = 'online') * (new.count - old.count),
      (new.metric = 'submitted' AND new.channel = 'assisted') * (new.count - old.count),
      (new.metric = 'submitted' AND new.channel = 'counter') * (new.count - old.count),
      (new.metric = 'submitted' AND new.level >= 3) * (new.count - old.count),
      (new.metric = 'submitted' AND new.level >= 3 AND new.channel IN ('online', 'assisted')) * (new.count - old.count))
    ON CONFLICT DO UPDATE SET viewed = viewed + excluded.viewed, template_downloaded = template_downloaded + excluded.template_downloaded, form_started = form_started + excluded.form_started, submitted = submitted + excluded.submitted, submitted_fee = submitted_fee + excluded.submitted_fee, received = received + excluded.received, not_received = not_received + excluded.not_received, supplement_requested = supplement_requested + excluded.supplement_requested, payment_requested = payment_requested + excluded.payment_requested, withdrawn = withdrawn + excluded.withdrawn, stopped = stopped + excluded.stopped, result_ready = result_ready + excluded.result_ready, returned = returned + excluded.returned, finished_early = finished_early + excluded.finished_early, finished_on_time = finished_on_time + excluded.finished_on_time, finished_late = finished_late + excluded.finished_late, paid_online = paid_online + excluded.paid_online, rated_very_satisfied = rated_very_satisfied + excluded.rated_very_satisfied, rated_satisfied = rated_satisfied + excluded.rated_satisfied, rated_not_satisfied = rated_not_satisfied + excluded.rated_not_satisfied, result_downloaded = result_downloaded + excluded.result_downloaded, submitted_online = submitted_online + excluded.submitted_online, submitted_assisted = submitted_assisted + excluded.submitted_assisted, submitted_counter = submitted_counter + excluded.submitted_counter, submitted_level34 = submitted_level34 + excluded.submitted_level34, submitted_level34_portal = submitted_level34_portal + excluded.submitted_level34_portal;
END;
--> statement-breakpoint
CREATE TRIGGER `subtree_monthly_totals_delete` AFTER DELETE ON `subtree_monthly`
BEGIN
  INSERT INTO `subtree_totals_monthly` (`agency_id`, `month`, `viewed`, `template_downloaded`, `form_started`, `submitted`, `submitted_fee`, `received`, `not_received`, `supplement_requested`, `payment_requested`, `withdrawn`, `stopped`, `result_ready`, `returned`, `finished_early`, `finished_on_time`, `finished_late`, `paid_online`, `rated_very_satisfied`, `rated_satisfied`, `rated_not_satisfied`, `result_downloaded`, `submitted_online`, `submitted_assisted`, `submitted_counter`, `submitted_level34`, `submitted_level34_portal`)
    VALUES (old.agency_id, old.month,
      (old.metric = 'viewed') * -old.count,
      (old.metric = 'template_downloaded') * -old.count,
      (old.metric = 'form_started') * -old.count,
      (old.metric = 'submitted') * -old.count,
      (old.metric = 'submitted_fee') * -old.count,
      (old.metric = 'received') * -old.count,
      (old.metric = 'not_received') * -old.count,
      (old.metric = 'supplement_requested') * -old.count,
      (old.metric = 'payment_requested') * -old.count,
      (old.metric = 'withdrawn') * -old.count,
      (old.metric = 'stopped') * -old.count,
      (old.metric = 'result_ready') * -old.count,
      (old.metric = 'returned') * -old.count,
      (old.metric = 'finished_early') * -old.count,
      (old.metric = 'finished_on_time') * -old.count,
      (old.metric = 'finished_late') * -old.count,
      (old.metric = 'paid_online') * -old.count,
      (old.metric = 'rated_very_satisfied') * -old.count,
      (old.metric = 'rated_satisfied') * -old.count,
      (old.metric = 'rated_not_satisfied') * -old.count,
      (old.metric = 'result_downloaded') * -old.count,
      (old.metric = 'submitted' AND old.channel = 'online') * -old.count,
      (old.metric = 'submitted' AND old.channel = 'assisted') * -old.count,
      (old.metric = 'submitted' AND old.channel = 'counter') * -old.count,
      (old.metric = 'submitted' AND old.level >= 3) * -old.count,
      (old.metric = 'submitted' AND old.level >= 3 AND old.channel IN ('online', 'assisted')) * -old.count)
    ON CONFLICT DO UPDATE SET viewed = viewed + excluded.viewed, template_downloaded = template_downloaded + excluded.template_downloaded, form_started = form_started + excluded.form_started, submitted = submitted + excluded.submitted, submitted_fee = submitted_fee + excluded.submitted_fee, received = received + excluded.received, not_received = not_received + excluded.not_received, supplement_requested = supplement_requested + excluded.supplement_requested, payment_requested = payment_requested + excluded.payment_requested, withdrawn = withdrawn + excluded.withdrawn, stopped = stopped + excluded.stopped, result_ready = result_ready + excluded.result_ready, returned = returned + excluded.returned, finished_early = finished_early + excluded.finished_early, finished_on_time = finished_on_time + excluded.finished_on_time, finished_late = finished_late + excluded.finished_late, paid_online = paid_online + excluded.paid_online, rated_very_satisfied = rated_very_satisfied + excluded.rated_very_satisfied, rated_satisfied = rated_satisfied + excluded.rated_satisfied, rated_not_satisfied = rated_not_satisfied + excluded.rated_not_satisfied, result_downloaded = result_downloaded + excluded.result_downloaded, submitted_online = submitted_online + excluded.submitted_online, submitted_assisted = submitted_assisted + excluded.submitted_assisted, submitted_counter = submitted_counter + excluded.submitted_counter, submitted_level34 = submitted_level34 + excluded.submitted_level34, submitted_level34_portal = submitted_level34_portal + excluded.submitted_level34_portal;
END;
