import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { ownDossierByReceipt } from "~/server/dossiers/application.server";
import { requireCitizen } from "~/server/auth/guards.server";
import { getLanguage } from "~/server/platform/i18n.server";
import { startPayment } from "~/server/payments/payments.server";
import { found } from "~/server/platform/http.server";

/** "Pay online": a plain form post (works without JavaScript) that sends the browser to the gateway. */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireCitizen(request);
  const { dossier, receiptCode } = found(await ownDossierByReceipt(user, params.receiptCode));
  const result = await startPayment({
    dossierId: dossier.id,
    applicantId: user.id,
    ipAddr: context.clientIp ?? "127.0.0.1",
    locale: await getLanguage(request),
    returnUrl: new URL("/payments/return", request.url).toString(),
  });
  if (result.kind === "redirect") return redirect(result.url);
  return redirect(`/applications/${receiptCode}?payment=${result.kind}`);
}

export const loader = ({ params }: { params: { receiptCode?: string } }) => redirect(`/applications/${params.receiptCode ?? ""}`);
