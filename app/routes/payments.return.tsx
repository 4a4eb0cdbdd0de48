import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { getT } from "~/server/i18n.server";
import { handleReturn } from "~/server/payments.server";
import { formatVnd } from "~/utils/format";
import { TextWithCode } from "~/components/receipt-code";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "" }];

/** Where the gateway sends the browser back. It shows the portal's own record; it changes nothing. */
export async function loader({ request }: LoaderFunctionArgs) {
  const t = await getT(request);
  const result = handleReturn(new URL(request.url).searchParams);
  if (!result.valid) throw new Response("Invalid signature", { status: 400 });
  const outcome = result.status === "paid" ? "paid" : result.status === "pending" ? "waiting" : result.status === "cancelled" ? "cancelled" : "failed";
  return { title: t(`pay.return_${outcome}_title`), outcome, receiptCode: result.receiptCode, amountVnd: result.amountVnd, gatewayCode: result.gatewayCode };
}

export default function PaymentReturn() {
  const { t, i18n } = useTranslation();
  const d = useLoaderData<typeof loader>();
  return (
    <>
      <div className={d.outcome === "paid" ? "panel" : "notice"} role="status">
        <h1>{t(`pay.return_${d.outcome}_title`)}</h1>
        <p>{t(`pay.return_${d.outcome}_body`, { amount: formatVnd(d.amountVnd, i18n.language) })}</p>
      </div>
      {d.receiptCode ? (
        <p>
          <Link to={`/applications/${d.receiptCode}`}><TextWithCode text={t("pay.back_to_dossier", { code: d.receiptCode })} code={d.receiptCode} /></Link>
        </p>
      ) : null}
    </>
  );
}
