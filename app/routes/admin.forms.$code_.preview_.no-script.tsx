import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { FormPreviewPage } from "~/components/form-preview";
import { requirePermission } from "~/server/auth/guards.server";
import { previewView } from "~/server/forms/form-preview.server";
import { notFound } from "~/server/platform/http.server";
import { getLanguage, getTFor } from "~/server/platform/i18n.server";
import { readForm } from "~/server/platform/upload.server";

/**
 * The form builder's preview without JavaScript: the page is sent without any script (the root reads
 * this route's handle), so the form posts and shows what the answers reveal as a browser without
 * scripts does. A post is checked, never kept.
 */
export const handle = { scripts: false };

export const meta: MetaFunction<typeof loader> = ({ data: d }) => [{ title: d?.title ?? "" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const admin = await requirePermission(request, "procedure:manage");
  const language = await getLanguage(request);
  const view = await previewView({ agencyPath: admin.agencyPath, code: params.code ?? "", scripts: false, t: await getTFor(language), language });
  return view ?? notFound();
}

export async function action({ request, params }: ActionFunctionArgs) {
  const admin = await requirePermission(request, "procedure:manage");
  const language = await getLanguage(request);
  const parsed = await readForm(request);
  if ("error" in parsed)
    throw new Response("Bad Request: the request body is not a form", { status: 400, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  const view = await previewView({
    agencyPath: admin.agencyPath,
    code: params.code ?? "",
    form: parsed.form,
    scripts: false,
    t: await getTFor(language),
    language,
  });
  if (!view) return notFound();
  return data(view, { status: view.form && Object.keys(view.form.errors).length > 0 ? 400 : 200 });
}

export default function FormPreviewWithoutScripts() {
  const loaded = useLoaderData<typeof loader>();
  const answered = useActionData<typeof action>();
  return <FormPreviewPage view={answered ?? loaded} />;
}
