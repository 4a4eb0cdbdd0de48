import type { LoaderFunctionArgs } from "@remix-run/node";
import { getOwnAttachment } from "~/server/dossiers/dossiers.server";
import { requireCitizen } from "~/server/auth/guards.server";
import { notFound } from "~/server/platform/http.server";
import { storedFileResponse } from "~/server/platform/storage.server";

/** An uploaded file, for its owner only; anyone else gets the same 404 as for a file that does not exist. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireCitizen(request);
  const id = Number(params.id);
  if (!Number.isSafeInteger(id) || id <= 0) notFound();
  const attachment = await getOwnAttachment({ attachmentId: id, applicantId: user.id });
  if (!attachment) notFound();
  return storedFileResponse(attachment);
}
