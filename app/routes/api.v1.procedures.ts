import type { LoaderFunctionArgs } from "@remix-run/node";
import { englishOrNull as english } from "~/core/text/local-text";
import { CatalogQuerySchema, listProcedures } from "~/server/catalog/catalog.server";

/** The catalog as JSON: the same query and the same results as /procedures. Public, read-only. */
export async function loader({ request }: LoaderFunctionArgs) {
  const query = CatalogQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const result = await listProcedures(query);
  return Response.json(
    {
      page: result.page,
      pageCount: result.pageCount,
      total: result.total,
      correction: result.correction,
      items: result.items.map((p) => ({
        code: p.code,
        name: { vi: p.nameVi, en: english(p.nameVi, p.nameEn) },
        level: p.level,
        onlineService: p.onlineService,
        agency: { code: p.agencyCode, name: { vi: p.agencyVi, en: english(p.agencyVi, p.agencyEn) } },
        field: { code: p.fieldCode, name: { vi: p.fieldVi, en: english(p.fieldVi, p.fieldEn) } },
        feeVnd: p.feeVnd,
        processingDays: p.processingDays,
        url: `/procedures/${p.code}`,
      })),
    },
    { headers: { "Cache-Control": "public, max-age=60" } },
  );
}
