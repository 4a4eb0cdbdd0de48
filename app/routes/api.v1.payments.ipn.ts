import type { LoaderFunctionArgs } from "@remix-run/node";
import { handleIpn } from "~/server/payments/payments.server";

/** The gateway's server-to-server notification (IPN): the only thing that marks a payment paid. */
export async function loader({ request }: LoaderFunctionArgs) {
  return Response.json(await handleIpn(new URL(request.url).searchParams), { headers: { "Cache-Control": "no-store" } });
}

/**
 * VNPay calls the IPN URL with GET only. Without an action Remix answers a POST with 405 but logs
 * an "Unexpected Server Error" and its stack trace (issue 11, problem 7): answer it here, plainly.
 */
export function action() {
  return new Response("Method Not Allowed", {
    status: 405,
    headers: { Allow: "GET", "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" },
  });
}
