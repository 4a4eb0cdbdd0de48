import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { ownDossierByReceipt } from "~/server/dossiers/application.server";
import { requireCitizen } from "~/server/auth/guards.server";
import { rateDossier, RatingSchema } from "~/server/dossiers/ratings.server";
import { requireFormData } from "~/server/platform/upload.server";
import { found } from "~/server/platform/http.server";

/** The satisfaction rating form posts here; the dossier page shows the outcome. */
export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireCitizen(request);
  const { dossier, receiptCode } = found(await ownDossierByReceipt(user, params.receiptCode));
  const parsed = RatingSchema.safeParse(Object.fromEntries(await requireFormData(request)));
  if (!parsed.success) return redirect(`/applications/${receiptCode}?rating=invalid#rating`);
  const outcome = await rateDossier({ dossierId: dossier.id, applicantId: user.id, rating: parsed.data.rating, comment: parsed.data.comment });
  return redirect(`/applications/${receiptCode}?rating=${outcome}#rating`);
}

export const loader = ({ params }: { params: { receiptCode?: string } }) => redirect(`/applications/${params.receiptCode ?? ""}`);
