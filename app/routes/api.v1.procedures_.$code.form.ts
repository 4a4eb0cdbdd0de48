import type { LoaderFunctionArgs } from "@remix-run/node";
import { onlineProcedure } from "~/server/dossiers/application.server";
import { found } from "~/server/platform/http.server";

/**
 * The published form of a procedure offered online (level 3 and up): its version and definition —
 * sections, fields, and the rules that show, require and price (JsonLogic, docs/decisions/030) — as
 * the portal itself applies it. For integrators and for checking what citizens are asked. Public,
 * read-only; 404 for a procedure without an online form.
 */
export async function loader({ params }: LoaderFunctionArgs) {
  const procedure = found(await onlineProcedure(params.code ?? ""));
  return Response.json(
    { code: procedure.procedure.code, version: procedure.form.version, definition: procedure.form.definition },
    { headers: { "Cache-Control": "public, max-age=60" } },
  );
}
