import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { fieldErrors } from "~/core/forms/field-errors";
import { ErrorSummary } from "~/components/error-summary";
import { TextField } from "~/components/text-field";
import { getT } from "~/server/i18n.server";
import { getSessionUser, safeRedirect, signIn } from "~/server/session.server";
import { RegisterSchema, createCitizen } from "~/server/users.server";
import { requireFormData } from "~/server/upload.server";

export const meta: MetaFunction<typeof loader> = ({ data: d }) => [{ title: d?.title ?? "" }];

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getSessionUser(request)) throw redirect("/");
  const t = await getT(request);
  return { title: t("auth.register_title") };
}

export async function action({ request }: ActionFunctionArgs) {
  const form = Object.fromEntries(await requireFormData(request));
  const values = { fullName: String(form.fullName ?? "").slice(0, 100), email: String(form.email ?? "").slice(0, 254), phone: String(form.phone ?? "").slice(0, 20) };
  const parsed = RegisterSchema.safeParse({ ...form, phone: form.phone ?? "", confirm: form.confirm ?? "", password: form.password ?? "" });
  if (!parsed.success) {
    const errors = fieldErrors(parsed.error);
    return data({ errors, values }, { status: 400 });
  }
  const user = await createCitizen({ email: parsed.data.email, fullName: parsed.data.fullName, phone: parsed.data.phone, password: parsed.data.password });
  if (!user) return data({ errors: { email: "auth.errors.email_taken" }, values }, { status: 400 });
  return signIn(request, user.id, safeRedirect(parsed.data.redirectTo));
}

export default function Register() {
  const { t } = useTranslation();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const errors: Record<string, string> = result?.errors ?? {};
  const err = (name: string) => (errors[name] ? t(errors[name]) : undefined);
  return (
    <>
      <h1>{t("auth.register_title")}</h1>
      <ErrorSummary errors={Object.entries(errors).map(([name, key]) => ({ fieldId: name, message: t(key) }))} />
      <Form method="post" noValidate>
        <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? ""} />
        <TextField id="fullName" name="fullName" autoComplete="name" label={t("auth.full_name")} defaultValue={result?.values.fullName} error={err("fullName")} />
        <TextField id="email" name="email" type="email" autoComplete="email" label={t("auth.email")} defaultValue={result?.values.email} error={err("email")} />
        <TextField id="phone" name="phone" type="tel" autoComplete="tel" label={`${t("auth.phone")} ${t("form.optional")}`} hint={t("auth.phone_hint")} defaultValue={result?.values.phone} error={err("phone")} />
        <TextField id="password" name="password" type="password" autoComplete="new-password" label={t("auth.password")} hint={t("auth.password_hint")} error={err("password")} />
        <TextField id="confirm" name="confirm" type="password" autoComplete="new-password" label={t("auth.confirm_password")} error={err("confirm")} />
        <button type="submit" className="button">
          {t("auth.register")}
        </button>
      </Form>
    </>
  );
}
