import type { LoaderFunctionArgs } from "@remix-run/node";
import { CatalogQuerySchema, listProcedures } from "~/server/catalog/catalog.server";

/**
 * The English text, or null when there is none: a client must be able to tell an untranslated name
 * from an English one, so the Vietnamese is never passed off as `en`. A name written the same in both
 * languages (the province "An Giang") is null too: `en ?? vi` is then right either way.
 */
function english(vi: string, en: string | null): string | null {
  const text = en?.trim();
  return text && text !== vi.trim() ? text : null;
}

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
