import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import * as z from "zod";
import { getT } from "~/server/platform/i18n.server";
import { signIn } from "~/server/auth/session.server";
import { confirmEmail } from "~/server/auth/users.server";
import { requireFormData } from "~/server/platform/upload.server";
import { pageStringsLoader } from "~/utils/page-strings-loader";

/** Reached by a link, the page first loads its string groups (decision 019). */
export const clientLoader = pageStringsLoader("routes/account.confirm");

export const meta: MetaFunction<typeof loader> = ({ data: d }) => [{ title: d?.title ?? "" }];

const TokenSchema = z.object({
  token: z
    .string()
    .min(20)
    .max(100)
    .regex(/^[A-Za-z0-9_-]+$/),
});

/**
 * The link in the registration e-mail. Opening it only shows a button: mail scanners that fetch
 * links must not confirm an account; the citizen's press (a POST) does, and signs them in.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const t = await getT(request);
  const parsed = TokenSchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) return data({ title: t("accounts.confirm_failed_title"), token: null, error: "accounts.confirm_failed_body" }, { status: 400 });
  return data({ title: t("accounts.confirm_title"), token: parsed.data.token, error: null }, { status: 200 });
}

export async function action({ request }: ActionFunctionArgs) {
  const parsed = TokenSchema.safeParse(Object.fromEntries(await requireFormData(request)));
  const userId = parsed.success ? await confirmEmail({ token: parsed.data.token }) : null;
  if (userId === null) return data({ error: "accounts.confirm_failed_body" }, { status: 400 });
  return await signIn(request, userId, "/account?confirmed=1");
}

export default function ConfirmAccount() {
  const { t } = useTranslation();
  const { token } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  if (!token || result?.error) {
    return (
      <>
        <h1>{t("accounts.confirm_failed_title")}</h1>
        <p>{t("accounts.confirm_failed_body")}</p>
      </>
    );
  }
  return (
    <>
      <h1>{t("accounts.confirm_title")}</h1>
      <p>{t("accounts.confirm_body")}</p>
      <Form method="post" reloadDocument>
        <input type="hidden" name="token" value={token} />
        <button type="submit" className="button">
          {t("accounts.confirm_button")}
        </button>
      </Form>
    </>
  );
}
