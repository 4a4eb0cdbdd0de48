ALTER TABLE "dossiers" ADD COLUMN "on_behalf" text DEFAULT 'self' NOT NULL;--> statement-breakpoint
ALTER TABLE "dossiers" ADD COLUMN "subject_name" text;--> statement-breakpoint
ALTER TABLE "dossiers" ADD COLUMN "subject_cccd" text;--> statement-breakpoint
ALTER TABLE "dossiers" ADD COLUMN "subject_tax_code" text;--> statement-breakpoint
CREATE INDEX "dossiers_subject_cccd_idx" ON "dossiers" USING btree ("subject_cccd");--> statement-breakpoint
CREATE INDEX "dossiers_subject_tax_code_idx" ON "dossiers" USING btree ("subject_tax_code");