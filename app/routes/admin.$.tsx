import type { LoaderFunctionArgs } from "@remix-run/node";
import { ADMIN_PERMISSIONS } from "~/core/auth/admin-sections";
import { requireAnyPermission } from "~/server/auth/guards.server";

/** Any other address under /admin: not found, shown inside the area (admin.tsx's error boundary), once the user may be in it. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireAnyPermission(request, ADMIN_PERMISSIONS);
  throw new Response("Not found", { status: 404 });
}

export default function AdminNotFound() {
  return null;
}
