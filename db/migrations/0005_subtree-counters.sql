-- Counters per agency subtree (docs/decisions/009-subtree-counters.md). WITHOUT ROWID, added by hand
-- (drizzle-kit cannot say it): the primary key then holds the count, so every read is one index range.
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
