import type { LoaderFunctionArgs } from "@remix-run/node";
import { englishOrNull as english } from "~/core/text/local-text";
import { getProcedure } from "~/server/catalog/catalog.server";
import { found } from "~/server/platform/http.server";

/**
 * One procedure of the catalog as JSON: what the catalog lists of it, with its level and
 * online-service class as derived from what it really has (decision 031), its delivery modes and
 * the step a citizen must still come in person for. Public, read-only; 404 for an unknown code.
 */
export async function loader({ params }: LoaderFunctionArgs) {
  const { procedure: p, agency, field } = found(await getProcedure(params.code ?? ""));
  return Response.json(
    {
      code: p.code,
      name: { vi: p.nameVi, en: english(p.nameVi, p.nameEn) },
      level: p.level,
      onlineService: p.onlineService,
      inPersonStep: p.inPersonStep,
      agency: { code: agency.code, name: { vi: agency.nameVi, en: english(agency.nameVi, agency.nameEn) } },
      field: { code: field.code, name: { vi: field.nameVi, en: english(field.nameVi, field.nameEn) } },
      feeVnd: p.feeVnd,
      paymentOnline: p.paymentOnline,
      processingDays: p.processingDays,
      deliveryModes: p.deliveryModes,
      formVersion: p.formVersion,
      url: `/procedures/${p.code}`,
    },
    { headers: { "Cache-Control": "public, max-age=60" } },
  );
}
