import { useTranslation } from "react-i18next";
import type { FeePlan } from "~/core/payments/fees";
import { formatVnd } from "~/utils/format";

/**
 * What will be paid and how, before submitting. `postPlan` is given when the delivery mode is still
 * to be chosen on the page and the post is offered: its postage is shown as "only if by post".
 */
export function FeePlanSection({ plan, postPlan }: { plan: FeePlan; postPlan: FeePlan | null }) {
  const { t, i18n } = useTranslation();
  const money = (vnd: number) => formatVnd(vnd, i18n.language);
  return (
    <section aria-labelledby="fee-plan-title">
      <h2 id="fee-plan-title">{t("pay.plan_title")}</h2>
      <table>
        <caption className="visually-hidden">{t("pay.plan_title")}</caption>
        <tbody>
          <tr>
            <th scope="row">{t("pay.fee")}</th>
            <td>{plan.feeVnd === 0 ? t("pay.no_fee") : money(plan.feeVnd)}</td>
          </tr>
          {plan.postageVnd > 0 ? (
            <tr>
              <th scope="row">{t("pay.postage")}</th>
              <td>{money(plan.postageVnd)}</td>
            </tr>
          ) : postPlan ? (
            <tr>
              <th scope="row">{t("pay.postage_if_post")}</th>
              <td>{money(postPlan.postageVnd)}</td>
            </tr>
          ) : null}
          <tr>
            <th scope="row">{t("pay.total")}</th>
            <td>
              <strong>{postPlan ? t("pay.total_if_post", { total: money(plan.totalVnd), totalPost: money(postPlan.totalVnd) }) : money(plan.totalVnd)}</strong>
            </td>
          </tr>
        </tbody>
      </table>
      <p>{t(`pay.method_${plan.method}`)}</p>
      {postPlan && postPlan.method !== plan.method && postPlan.method !== "free" ? (
        <p>{t(`pay.method_post_${postPlan.method}`, { postage: money(postPlan.postageVnd) })}</p>
      ) : null}
    </section>
  );
}
