import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { FormPreviewRoute, previewMeta } from "~/components/form-preview";
import { previewAction, previewLoader } from "~/server/forms/preview-route.server";

/**
 * The form builder's preview without JavaScript: the page is sent without any script (the root reads
 * this route's handle), so the form posts and shows what the answers reveal as a browser without
 * scripts does. A post is checked, never kept.
 */
export const handle = { scripts: false };
export const meta = previewMeta;
export const loader = (args: LoaderFunctionArgs) => previewLoader(args, false);
export const action = (args: ActionFunctionArgs) => previewAction(args, false);
export default FormPreviewRoute;
