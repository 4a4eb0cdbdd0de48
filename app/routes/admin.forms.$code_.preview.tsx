import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { FormPreviewRoute, previewMeta } from "~/components/form-preview";
import { previewAction, previewLoader } from "~/server/forms/preview-route.server";

/** The form builder's preview with JavaScript: the draft's form as a citizen's browser runs it; a post is checked, never kept. */
export const meta = previewMeta;
export const loader = (args: LoaderFunctionArgs) => previewLoader(args, true);
export const action = (args: ActionFunctionArgs) => previewAction(args, true);
export default FormPreviewRoute;
