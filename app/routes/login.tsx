import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { AttemptLimiter } from "~/core/security/rate-limit";
import { fieldErrors } from "~/core/forms/field-errors";
import { ErrorSummary } from "~/components/error-summary";
import { TextField } from "~/components/text-field";
import { getT } from "~/server/i18n.server";
import { getSessionUser, safeRedirect, signIn } from "~/server/session.server";
import { LoginSchema, verifyLogin } from "~/server/users.server";
import { requireFormData } from "~/server/upload.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "" }];

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getSessionUser(request)) throw redirect(safeRedirect(new URL(request.url).searchParams.get("redirectTo")));
  const t = await getT(request);
  return { title: t("auth.sign_in_title") };
}

// Guessing passwords: five failures per account and twenty per address in fifteen minutes.
const perAccount = new AttemptLimiter(5, 15 * 60_000);
const perAddress = new AttemptLimiter(20, 15 * 60_000);

export async function action({ request, context }: ActionFunctionArgs) {
  const form = Object.fromEntries(await requireFormData(request));
  const parsed = LoginSchema.safeParse(form);
  const email = typeof form.email === "string" ? form.email.slice(0, 254) : "";
  if (!parsed.success) {
    const errors = fieldErrors(parsed.error);
    return data({ errors, email }, { status: 400 });
  }
  const account = parsed.data.email.toLowerCase();
  const address = context.clientIp ?? "unknown";
  if (!perAccount.allowed(account) || !perAddress.allowed(address)) return data({ errors: { email: "auth.errors.too_many_attempts" }, email }, { status: 429 });
  const user = await verifyLogin(parsed.data.email, parsed.data.password);
  if (!user) {
    perAccount.fail(account);
    perAddress.fail(address);
    return data({ errors: { email: "auth.errors.wrong_credentials" }, email }, { status: 400 });
  }
  perAccount.reset(account);
  return signIn(request, user.id, safeRedirect(parsed.data.redirectTo));
}

export default function Login() {
  const { t } = useTranslation();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const redirectTo = params.get("redirectTo") ?? "";
  const errors: Record<string, string> = result?.errors ?? {};
  return (
    <>
      <h1>{t("auth.sign_in_title")}</h1>
      <ErrorSummary errors={Object.entries(errors).map(([name, key]) => ({ fieldId: name, message: t(key) }))} />
      {/* A new document after sign-in: staff pages need the staff strings script in <head>. */}
      <Form method="post" noValidate reloadDocument>
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <TextField id="email" name="email" type="email" autoComplete="username" label={t("auth.email")} defaultValue={result?.email} error={errors.email ? t(errors.email) : undefined} required />
        <TextField id="password" name="password" type="password" autoComplete="current-password" label={t("auth.password")} error={errors.password ? t(errors.password) : undefined} required />
        <button type="submit" className="button">
          {t("auth.sign_in")}
        </button>
      </Form>
      <p>
        {t("auth.no_account")} <Link to={`/register?${new URLSearchParams({ redirectTo })}`}>{t("auth.register_link")}</Link>
      </p>
    </>
  );
}
