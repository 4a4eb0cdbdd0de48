import type { LoaderFunctionArgs } from "@remix-run/node";
import * as z from "zod";
import { requireOfficer } from "~/server/auth/guards.server";
import { notFound } from "~/server/platform/http.server";
import { viewAgencyAttachment } from "~/server/dossiers/officer-dossier.server";
import { storedFileResponse } from "~/server/platform/storage.server";

const ParamsSchema = z.object({
  id: z
    .string()
    .regex(/^[1-9]\d{0,14}$/)
    .transform(Number),
});

/**
 * A citizen's uploaded file, for an officer of the dossier's agency (or a parent agency). Anything
 * outside the officer's scope, a draft's file and a missing one answer the same 404. Each download is audited.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const officer = await requireOfficer(request, "dossier:read");
  const parsed = ParamsSchema.safeParse(params);
  if (!parsed.success) notFound();
  const attachment = await viewAgencyAttachment({
    attachmentId: parsed.data.id,
    agencyPath: officer.agencyPath,
    actor: { id: officer.id, role: officer.role },
  });
  if (!attachment) notFound();
  return storedFileResponse(attachment);
}
