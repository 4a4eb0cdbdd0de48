import type { LoaderFunctionArgs } from "@remix-run/node";
import { levelAllows } from "~/core/catalog/levels";
import { getProcedure } from "~/server/catalog/catalog.server";
import { recordTemplateDownload } from "~/server/dossiers/dossiers.server";
import { notFound, pdfResponse } from "~/server/platform/http.server";
import { renderTextPdf } from "~/server/platform/pdf.server";

/** A blank form template (level ≥ 2) as a printable PDF. */
export async function loader({ params }: LoaderFunctionArgs) {
  const procedure = await getProcedure(params.code ?? "");
  if (!procedure || !levelAllows(procedure.procedure.level).templates) notFound();
  const template = procedure.details.templates.find((tpl) => tpl.slug === params.slug);
  if (!template) notFound();
  const [first, second, ...rest] = template.lines;
  const pdf = await renderTextPdf({
    title: template.title.vi,
    blocks: [
      { text: first ?? "", bold: true, center: true },
      { text: second ?? "", bold: true, center: true },
      ...rest.map((text, i) => ({
        text,
        gapBefore: i === 0 ? 18 : 4,
        bold: i === 0 && text === text.toUpperCase(),
        center: i === 0 && text === text.toUpperCase(),
      })),
    ],
    footer: `${procedure.procedure.code} · ${procedure.procedure.nameVi}`,
  });
  await recordTemplateDownload({ procedureId: procedure.procedure.id, agencyId: procedure.procedure.agencyId, template: template.slug });
  // Saved, not shown; every download is counted, so no cache keeps one.
  return pdfResponse({ fileName: `${template.slug}.pdf`, pdf }, { disposition: "attachment", cacheControl: "no-cache" });
}
