import type { FormDefinition } from "../../core/forms/definition";
import type { Tx } from "../platform/db.server";

/**
 * Where the builder publishes: `publishForm(tx, …)` of app/server/forms/publishing.server.ts, owned by
 * the levels track (issue 16: a new immutable version, `procedures.form_version`, the `form_published`
 * event and the derived level, all in the caller's transaction). Until that module is on main this
 * port has no implementation and the builder says publishing is not available yet; the builder does
 * not publish any other way. Typed as that module has it on its branch (track-levels); when it lands:
 * `export { publishForm } from "./publishing.server";`.
 */
export type PublishForm = (
  tx: Tx,
  input: { procedureId: number; definition: FormDefinition; actorId: number; actorRole: string; now: Date },
) => Promise<
  { ok: true; version: number } | { ok: false; error: "not_found" } | { ok: false; error: "invalid"; problems: { where: string; message: string }[] }
>;

export const publishForm: PublishForm | null = null;
