import type { LoaderFunctionArgs } from "@remix-run/node";
import { CatalogQuerySchema, listProcedures } from "~/server/catalog.server";

/** The catalog as JSON: the same query and the same results as /procedures. Public, read-only. */
export async function loader({ request }: LoaderFunctionArgs) {
  const query = CatalogQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const result = listProcedures(query);
  return Response.json(
    {
      page: result.page,
      pageCount: result.pageCount,
      total: result.total,
      correction: result.correction,
      items: result.items.map((p) => ({
        code: p.code,
        name: { vi: p.nameVi, en: p.nameEn ?? p.nameVi },
        level: p.level,
        agency: { code: p.agencyCode, name: { vi: p.agencyVi, en: p.agencyEn ?? p.agencyVi } },
        field: { code: p.fieldCode, name: { vi: p.fieldVi, en: p.fieldEn ?? p.fieldVi } },
        feeVnd: p.feeVnd,
        processingDays: p.processingDays,
        url: `/procedures/${p.code}`,
      })),
    },
    { headers: { "Cache-Control": "public, max-age=60" } },
  );
}
