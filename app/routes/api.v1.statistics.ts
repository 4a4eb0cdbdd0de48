import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { METRICS } from "~/core/statistics/metrics";
import { requireStatisticsReader } from "~/server/auth/guards.server";
import { getLanguage, getTFor } from "~/server/platform/i18n.server";
import { funnel, grouped, parseStatisticsQuery, rankings, scopeAgency, summary, timeSeries } from "~/server/statistics/dashboard.server";

/** Figures of one scope, always fresh: no cache may keep them or serve them to someone else. */
const NO_STORE = { "Cache-Control": "no-store" };

/**
 * The statistics as JSON for other software: the dashboard's query parameters, the same figures
 * from the same query layer (ratios as exact fractions), within the caller's scope. A bearer token
 * (/admin/tokens) or a signed-in session; 401/403 as JSON, never a redirect to sign-in.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireStatisticsReader(request);
  const parsed = await parseStatisticsQuery({ agencyPath: user.agencyPath, params: new URL(request.url).searchParams });
  if (!parsed.success) {
    const t = await getTFor(await getLanguage(request));
    const errors = parsed.issues.map((i) => ({ path: i.field, message: t(i.message), code: i.message }));
    return Response.json({ errors }, { status: 400, headers: NO_STORE });
  }
  const input = { agencyPath: user.agencyPath, query: parsed.query };
  const [vi, en] = await Promise.all([getTFor("vi"), getTFor("en")]);
  return Response.json(
    {
      query: parsed.query,
      scope: { role: user.role, agency: await scopeAgency(user.agencyPath) },
      summary: await summary(input),
      grouped: await grouped(input),
      rankings: await rankings(input),
      timeSeries: await timeSeries(input),
      funnel: await funnel(input),
      definitions: {
        document: "docs/metrics.md",
        openapi: "/api/v1/openapi.json",
        metrics: METRICS.map((m) => ({
          id: m.id,
          kind: m.kind,
          source: m.source,
          needs: m.needs,
          hasTarget: m.kind === "ratio" && m.hasTarget,
          label: { vi: vi(m.labelKey), en: en(m.labelKey) },
          description: { vi: vi(m.descriptionKey), en: en(m.descriptionKey) },
        })),
      },
    },
    { headers: NO_STORE },
  );
}

/** Read-only: every other method is refused (after the same guard, so nothing is said to strangers). */
export async function action({ request }: ActionFunctionArgs) {
  await requireStatisticsReader(request);
  return Response.json({ error: "method_not_allowed" }, { status: 405, headers: { ...NO_STORE, Allow: "GET, HEAD" } });
}
