import type { LoaderFunctionArgs } from "@remix-run/node";
import { ExportTableSchema } from "~/core/statistics/csv";
import { requirePermission } from "~/server/auth/guards.server";
import { getLanguage, getTFor } from "~/server/platform/i18n.server";
import { exportStatisticsCsv } from "~/server/statistics/export.server";
import { parseStatisticsQuery } from "~/server/statistics/dashboard.server";

/**
 * One table of the statistics dashboard as a CSV file: `table` plus the dashboard's own query
 * parameters, the same figures from the same query layer, headers in the reader's language.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "statistics:read");
  const params = new URL(request.url).searchParams;
  const table = ExportTableSchema.safeParse(params.get("table") ?? undefined);
  const parsed = await parseStatisticsQuery({ agencyPath: user.agencyPath, params });
  const lang = await getLanguage(request);
  if (!table.success || !parsed.success) {
    const t = await getTFor(lang);
    const problems = [...(table.success ? [] : [{ field: "table", message: "stats.export.errors.table_invalid" }]), ...(parsed.success ? [] : parsed.issues)];
    const text = [t("stats.export.errors.title"), ...problems.map((p) => `${p.field}: ${t(p.message)}`)].join("\n");
    return new Response(`${text}\n`, { status: 400, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" } });
  }
  const { filename, csv } = await exportStatisticsCsv({ agencyPath: user.agencyPath, query: parsed.query, table: table.data, lang });
  return new Response(csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${filename}"`,
      // Figures of one scope: not for shared caches, and always fresh.
      "Cache-Control": "private, no-store",
    },
  });
}
