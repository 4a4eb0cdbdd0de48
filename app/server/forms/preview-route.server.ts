import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "../auth/guards.server";
import { notFound } from "../platform/http.server";
import { getLanguage, getTFor } from "../platform/i18n.server";
import { readForm } from "../platform/upload.server";
import { previewView } from "./form-preview.server";

/**
 * The loader and action of the builder's two preview routes, which differ only in whether the page
 * is sent with its scripts (`scripts`: the no-script route's handle does the rest). A post is
 * checked as the application form checks it and never kept.
 */
export async function previewLoader({ request, params }: LoaderFunctionArgs, scripts: boolean) {
  const admin = await requirePermission(request, "procedure:manage");
  const language = await getLanguage(request);
  const view = await previewView({ agencyPath: admin.agencyPath, code: params.code ?? "", scripts, t: await getTFor(language), language });
  return view ?? notFound();
}

export async function previewAction({ request, params }: ActionFunctionArgs, scripts: boolean) {
  const admin = await requirePermission(request, "procedure:manage");
  const language = await getLanguage(request);
  const parsed = await readForm(request);
  if ("error" in parsed)
    throw new Response("Bad Request: the request body is not a form", { status: 400, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  const view = await previewView({ agencyPath: admin.agencyPath, code: params.code ?? "", form: parsed.form, scripts, t: await getTFor(language), language });
  if (!view) return notFound();
  return data(view, { status: view.form && Object.keys(view.form.errors).length > 0 ? 400 : 200 });
}
