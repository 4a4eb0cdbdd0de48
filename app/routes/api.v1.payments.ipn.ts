import type { LoaderFunctionArgs } from "@remix-run/node";
import { handleIpn } from "~/server/payments.server";

/** The gateway's server-to-server notification (IPN): the only thing that marks a payment paid. */
export async function loader({ request }: LoaderFunctionArgs) {
  return Response.json(handleIpn(new URL(request.url).searchParams), { headers: { "Cache-Control": "no-store" } });
}
