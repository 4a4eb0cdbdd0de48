import type { LoaderFunctionArgs } from "@remix-run/node";
import { getOwnAttachment } from "~/server/dossiers.server";
import { notFound, requireCitizen } from "~/server/guards.server";
import { readStoredFile } from "~/server/storage.server";

/** An uploaded file, for its owner only; anyone else gets the same 404 as for a file that does not exist. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireCitizen(request);
  const id = Number(params.id);
  if (!Number.isSafeInteger(id) || id <= 0) notFound();
  const attachment = getOwnAttachment({ attachmentId: id, applicantId: user.id });
  if (!attachment) notFound();
  const bytes = await readStoredFile(attachment.storageKey);
  return new Response(new Uint8Array(bytes), {
    headers: {
      "Content-Type": attachment.mimeType,
      "Content-Disposition": `attachment; filename*=UTF-8''${encodeURIComponent(attachment.fileName)}`,
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
