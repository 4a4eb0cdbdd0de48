ALTER TABLE "attachments" DROP CONSTRAINT "attachments_storage_key_unique";--> statement-breakpoint
ALTER TABLE "subtree_totals_daily" ADD COLUMN "document_reused" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "subtree_totals_monthly" ADD COLUMN "document_reused" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX "attachments_storage_key_idx" ON "attachments" USING btree ("storage_key");