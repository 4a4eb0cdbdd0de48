-- The event log is append-only, as in SQLite (db/migrations/0001): statistics are computed from it
-- and must be checkable, so no statement may change or remove an event.
CREATE FUNCTION "dossier_events_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'dossier_events is append-only';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "dossier_events_no_update" BEFORE UPDATE ON "dossier_events"
FOR EACH ROW EXECUTE FUNCTION "dossier_events_append_only"();
--> statement-breakpoint
CREATE TRIGGER "dossier_events_no_delete" BEFORE DELETE ON "dossier_events"
FOR EACH ROW EXECUTE FUNCTION "dossier_events_append_only"();
--> statement-breakpoint
-- TRUNCATE skips row triggers: refuse it too.
CREATE TRIGGER "dossier_events_no_truncate" BEFORE TRUNCATE ON "dossier_events"
FOR EACH STATEMENT EXECUTE FUNCTION "dossier_events_append_only"();
