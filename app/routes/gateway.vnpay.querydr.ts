import type { ActionFunctionArgs } from "@remix-run/node";
import { querydr } from "~/simulators/vnpay-gateway.server";
import { requireSimulators } from "~/simulators/enabled.server";

/**
 * The gateway simulator's querydr API (VNPay's merchant_webapi/api/transaction with
 * vnp_Command=querydr): POST JSON in, signed JSON out, always 200 — the verdict is in
 * vnp_ResponseCode, as with VNPay.
 */
export async function action({ request }: ActionFunctionArgs) {
  requireSimulators();
  if (request.method !== "POST") return methodNotAllowed();
  let body: unknown = null;
  try {
    body = await request.json();
  } catch {
    // Not JSON: querydr answers 03 (invalid request format).
  }
  return Response.json(await querydr(body, new Date()), { headers: { "Cache-Control": "no-store" } });
}

export async function loader() {
  requireSimulators();
  return methodNotAllowed();
}

function methodNotAllowed() {
  return new Response("Method Not Allowed", { status: 405, headers: { Allow: "POST", "Content-Type": "text/plain" } });
}
