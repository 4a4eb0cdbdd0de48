-- The counters are kept by TypeScript in the transaction that changes them (app/server/statistics/counters.server.ts,
-- docs/decisions/021-counters-one-implementation.md), the same code on SQLite and PostgreSQL: these triggers of 0005 go.
-- The tables they kept stay as they are: correct up to this migration, kept by the counters store from now on.
DROP TRIGGER IF EXISTS `daily_counts_subtree_insert`;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `daily_counts_subtree_update`;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `daily_counts_fixed_key`;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `daily_counts_subtree_delete`;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `procedures_level_subtree`;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `daily_counts_subtree_use_insert`;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `daily_counts_subtree_use_update`;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `daily_counts_subtree_use_delete`;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `daily_counts_subtree_use_decrease`;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `procedures_portal_use`;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `procedures_catalog_insert`;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `procedures_catalog_delete`;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `procedures_catalog_update`;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `subtree_daily_totals_insert`;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `subtree_daily_totals_update`;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `subtree_daily_totals_delete`;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `subtree_monthly_totals_insert`;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `subtree_monthly_totals_update`;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `subtree_monthly_totals_delete`;
