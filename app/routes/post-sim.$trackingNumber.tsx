import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { isTrackingNumber } from "~/core/delivery/postal";
import { notFound } from "~/server/platform/http.server";
import { getT } from "~/server/platform/i18n.server";
import { advanceParcel, getParcel } from "~/simulators/post.server";
import { formatDateTime } from "~/utils/format";
import { requireFormData } from "~/server/platform/upload.server";
import { requireSimulators } from "~/simulators/enabled.server";
import { pageStringsLoader } from "~/utils/page-strings-loader";

/** Reached by a link, the page first loads its string groups (decision 019). */
export const clientLoader = pageStringsLoader("routes/post-sim.$trackingNumber");

export const meta: MetaFunction<typeof loader> = ({ data: d }) => [{ title: d?.title ?? "" }];

/** The post simulator's page for one parcel: stands for the postman; "advance" moves the parcel on. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  requireSimulators();
  const tracking = params.trackingNumber ?? "";
  const parcel = isTrackingNumber(tracking) ? await getParcel(tracking) : null;
  if (!parcel) notFound();
  const t = await getT(request);
  return { title: t("postsim.title", { tracking }), parcel };
}

export async function action({ request, params }: ActionFunctionArgs) {
  requireSimulators();
  const tracking = params.trackingNumber ?? "";
  if (!isTrackingNumber(tracking) || !(await getParcel(tracking))) notFound();
  const form = await requireFormData(request);
  const moved = await advanceParcel({ trackingNumber: tracking, failed: form.get("failed") === "yes" });
  if (!moved) return data({ error: "postsim.final" }, { status: 409 });
  return redirect(`/post-sim/${tracking}`);
}

export default function PostSimulator() {
  const { t, i18n } = useTranslation();
  const { parcel } = useLoaderData<typeof loader>();
  const final = parcel.status === "delivered" || parcel.status === "returned_to_sender";
  return (
    <>
      <p className="notice">{t("postsim.disclaimer")}</p>
      <h1>{t("postsim.title", { tracking: parcel.trackingNumber })}</h1>
      <p>
        {t("postsim.current")}: <strong>{t(`shipment.${parcel.status}`)}</strong>
      </p>
      <ol className="timeline">
        {parcel.history.map((h, i) => (
          <li key={i}>
            {t(`shipment.${h.status}`)} — {formatDateTime(h.at, i18n.language)}
          </li>
        ))}
      </ol>
      {final ? null : (
        <div className="button-group">
          <Form method="post">
            <button type="submit" className="button">
              {t("postsim.advance")}
            </button>
          </Form>
          {parcel.status === "in_transit" ? (
            <Form method="post">
              <input type="hidden" name="failed" value="yes" />
              <button type="submit" className="button button--secondary">
                {t("postsim.fail")}
              </button>
            </Form>
          ) : null}
        </div>
      )}
    </>
  );
}
