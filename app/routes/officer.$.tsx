import type { LoaderFunctionArgs } from "@remix-run/node";
import { OFFICER_PERMISSIONS } from "~/core/auth/workspace";
import { requireAnyPermission } from "~/server/auth/guards.server";

/** Any other address under /officer: not found, shown inside the area (officer.tsx's error boundary), once the user may be in it. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireAnyPermission(request, OFFICER_PERMISSIONS);
  throw new Response("Not found", { status: 404 });
}

export default function OfficerNotFound() {
  return null;
}
