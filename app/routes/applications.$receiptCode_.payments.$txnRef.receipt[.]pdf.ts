import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireCitizen } from "~/server/auth/guards.server";
import { paymentReceiptPdf } from "~/server/dossiers/receipt.server";
import { found, pdfResponse } from "~/server/platform/http.server";
import { getLanguage } from "~/server/platform/i18n.server";

/** The electronic payment receipt (biên lai điện tử) of a paid attempt; owner only. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireCitizen(request);
  const language = await getLanguage(request);
  return pdfResponse(found(await paymentReceiptPdf({ user, receiptCode: params.receiptCode, txnRef: params.txnRef ?? "", language })));
}
