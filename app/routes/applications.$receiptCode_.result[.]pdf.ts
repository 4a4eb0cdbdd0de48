import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireOwnDossierByReceipt } from "~/server/dossiers/application.server";
import { downloadResult } from "~/server/results/results.server";
import { notFound, requireCitizen } from "~/server/auth/guards.server";

/** The electronic result, for its owner; the first download completes delivery. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireCitizen(request);
  const { dossier } = await requireOwnDossierByReceipt(user, params.receiptCode);
  const file = await downloadResult({ dossierId: dossier.id, applicantId: user.id });
  if (!file) notFound();
  return new Response(new Uint8Array(file.bytes), {
    headers: { "Content-Type": "application/pdf", "Content-Disposition": `attachment; filename="${file.fileName}"`, "Cache-Control": "private, no-store" },
  });
}
