import type { LoaderFunctionArgs } from "@remix-run/node";
import { ownDossierByReceipt } from "~/server/dossiers/application.server";
import { downloadResult } from "~/server/results/results.server";
import { requireCitizen } from "~/server/auth/guards.server";
import { found, notFound, pdfResponse } from "~/server/platform/http.server";

/** The electronic result, for its owner; the first download completes delivery. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireCitizen(request);
  const { dossier } = found(await ownDossierByReceipt(user, params.receiptCode));
  const file = await downloadResult({ dossierId: dossier.id, applicantId: user.id });
  if (!file) notFound();
  return pdfResponse({ fileName: file.fileName, pdf: file.bytes }, { disposition: "attachment" });
}
