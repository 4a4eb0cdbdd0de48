import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireCitizen } from "~/server/auth/guards.server";
import { receiptPdf, trackingUrl } from "~/server/dossiers/receipt.server";
import { found, pdfResponse } from "~/server/platform/http.server";
import { getLanguage } from "~/server/platform/i18n.server";

/** The receipt (giấy tiếp nhận) as a PDF the citizen keeps; owner only. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireCitizen(request);
  const language = await getLanguage(request);
  return pdfResponse(found(await receiptPdf({ user, receiptCode: params.receiptCode, language, trackingUrl: (code) => trackingUrl(request, code) })));
}
