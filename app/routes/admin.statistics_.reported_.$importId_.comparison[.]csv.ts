import type { LoaderFunctionArgs } from "@remix-run/node";
import { ReportedImportIdSchema } from "~/core/statistics/reported";
import { requirePermission } from "~/server/auth/guards.server";
import { notFound } from "~/server/platform/http.server";
import { getLanguage } from "~/server/platform/i18n.server";
import { exportReportedImportCsv } from "~/server/statistics/reported.server";

/** One kept import's comparison as a CSV file (UTF-8 with BOM, formula-safe), headers in the reader's language. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, "statistics:read");
  const id = ReportedImportIdSchema.safeParse(params.importId);
  if (!id.success) notFound();
  const exported = await exportReportedImportCsv({ id: id.data, lang: await getLanguage(request) });
  if (!exported) notFound();
  return new Response(exported.csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${exported.filename}"`,
      "Cache-Control": "private, no-store",
    },
  });
}
