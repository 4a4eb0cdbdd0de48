import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import * as z from "zod";
import { ErrorSummary } from "~/components/error-summary";
import { requireCitizen } from "~/server/auth/guards.server";
import { addBusinessMember, businessesOf, ownedBusinesses, removeBusinessMember } from "~/server/dossiers/representation.server";
import { getT } from "~/server/platform/i18n.server";
import { requireFormData } from "~/server/platform/upload.server";
import { pageStringsLoader } from "~/utils/page-strings-loader";

/** Reached by a link, the page first loads its string groups (decision 019). */
export const clientLoader = pageStringsLoader("routes/account.businesses");

export const meta: MetaFunction<typeof loader> = ({ data: d }) => [{ title: d?.title ?? "" }];

/** The owner's page of their businesses' members (decision 036): plain forms, no script. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireCitizen(request);
  const t = await getT(request);
  const owned = await ownedBusinesses(user.id);
  const memberOf = (await businessesOf(user.id)).filter((b) => !b.owner);
  return {
    title: t("representation.businesses.title"),
    owned: owned.map((b) => ({ ...b, members: b.members.map((m) => ({ userId: m.userId, fullName: m.fullName, email: m.email })) })),
    memberOf,
  };
}

const MemberPostSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("add"), taxCode: z.string().regex(/^\d{10}$/), email: z.email("representation.businesses.errors.email_required") }),
  z.object({ intent: z.literal("remove"), taxCode: z.string().regex(/^\d{10}$/), userId: z.coerce.number().int().positive() }),
]);

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireCitizen(request);
  const parsed = MemberPostSchema.safeParse(Object.fromEntries(await requireFormData(request)));
  if (!parsed.success) {
    const emailIssue = parsed.error.issues.find((i) => i.path[0] === "email");
    return data({ error: emailIssue ? emailIssue.message : "representation.businesses.errors.not_owner" }, { status: 400 });
  }
  const post = parsed.data;
  const outcome =
    post.intent === "add"
      ? await addBusinessMember({ ownerId: user.id, taxCode: post.taxCode, email: post.email })
      : await removeBusinessMember({ ownerId: user.id, taxCode: post.taxCode, userId: post.userId });
  if (!outcome.ok) return data({ error: `representation.businesses.errors.${outcome.error}` }, { status: outcome.error === "not_owner" ? 404 : 400 });
  return redirect(`/account/businesses?done=${post.intent === "add" ? "added" : "removed"}`);
}

export default function Businesses() {
  const { t } = useTranslation();
  const d = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const [params] = useSearchParams();
  const done = params.get("done");
  return (
    <>
      <h1>{t("representation.businesses.title")}</h1>
      {answer?.error ? <ErrorSummary errors={[{ message: t(answer.error) }]} /> : null}
      {done === "added" || done === "removed" ? (
        <p className="notice" role="status">
          {t(`representation.businesses.${done}`)}
        </p>
      ) : null}
      <p>{t("representation.businesses.intro")}</p>
      {d.owned.length === 0 ? <p>{t("representation.businesses.none_owned")}</p> : null}
      {d.owned.map((b) => (
        <section key={b.taxCode}>
          <h2>{b.name}</h2>
          <p>{t("representation.businesses.tax_code", { code: b.taxCode })}</p>
          <h3>{t("representation.businesses.members")}</h3>
          {b.members.length === 0 ? (
            <p>{t("representation.businesses.none_members")}</p>
          ) : (
            <ul>
              {b.members.map((m) => (
                <li key={m.userId}>
                  {m.fullName} ({m.email}){" "}
                  <Form method="post" className="inline-form">
                    <input type="hidden" name="intent" value="remove" />
                    <input type="hidden" name="taxCode" value={b.taxCode} />
                    <input type="hidden" name="userId" value={m.userId} />
                    <button type="submit" className="button button--secondary">
                      {t("representation.businesses.remove", { name: m.fullName })}
                    </button>
                  </Form>
                </li>
              ))}
            </ul>
          )}
          <Form method="post" noValidate>
            <input type="hidden" name="intent" value="add" />
            <input type="hidden" name="taxCode" value={b.taxCode} />
            <div className="form-group">
              <label htmlFor={`member-email-${b.taxCode}`}>{t("representation.businesses.member_email")}</label>
              <input type="email" id={`member-email-${b.taxCode}`} name="email" autoComplete="off" />
            </div>
            <button type="submit" className="button">
              {t("representation.businesses.add")}
            </button>
          </Form>
        </section>
      ))}
      {d.memberOf.length > 0 ? (
        <>
          <h2>{t("representation.businesses.member_of")}</h2>
          <ul>
            {d.memberOf.map((b) => (
              <li key={b.taxCode}>
                {b.name} ({b.taxCode})
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </>
  );
}
