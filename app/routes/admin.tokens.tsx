import { data, redirect, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ErrorSummary } from "~/components/error-summary";
import { TextField } from "~/components/text-field";
import { fieldErrors } from "~/core/forms/field-errors";
import { createApiToken, listApiTokens, revokeApiToken, RevokeTokenSchema, TokenNameSchema } from "~/server/auth/api-tokens.server";
import { requirePermission } from "~/server/auth/guards.server";
import { notFound } from "~/server/platform/http.server";
import { requireFormData } from "~/server/platform/upload.server";
import { getT } from "~/server/platform/i18n.server";
import { formatDateTime } from "~/utils/format";
import { TableScroll } from "~/components/table-scroll";

export const meta: MetaFunction<typeof loader> = ({ data: d }) => [{ title: d?.title ?? "" }];

// The page may carry a freshly created token: never kept by a browser or proxy cache.
export const headers: HeadersFunction = () => ({ "Cache-Control": "no-store" });

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "statistics:read");
  const t = await getT(request);
  const tokens = (await listApiTokens(user)).map((k) => ({
    id: k.id,
    name: k.name,
    createdAt: k.createdAt.toISOString(),
    lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
    revokedAt: k.revokedAt?.toISOString() ?? null,
  }));
  return { title: t("admin.tokens.title"), tokens, revoked: new URL(request.url).searchParams.get("notice") === "revoked" };
}

type Answer = { errors: Record<string, string>; values: { name: string }; created: { name: string; token: string } | null };
const answer = (status: number, parts: Partial<Answer>) =>
  data<Answer>({ errors: {}, values: { name: "" }, created: null, ...parts }, { status, headers: { "Cache-Control": "no-store" } });

/**
 * Create: the plaintext token is in this one answer (the page, not a redirect URL), never stored
 * or logged; a refresh shows the list without it. Revoke: only the caller's own live tokens
 * (anyone else's, or an unknown id, is 404), then POST → redirect → GET.
 */
export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "statistics:read");
  const form = await requireFormData(request);
  const intent = form.get("intent");
  if (intent === "create") {
    const raw = form.get("name");
    const name = typeof raw === "string" ? raw : "";
    const parsed = TokenNameSchema.safeParse({ name });
    if (!parsed.success) return answer(400, { errors: fieldErrors(parsed.error), values: { name: name.slice(0, 200) } });
    const { token } = await createApiToken(user, parsed.data.name);
    return answer(200, { created: { name: parsed.data.name, token } });
  }
  if (intent === "revoke") {
    const parsed = RevokeTokenSchema.safeParse({ tokenId: form.get("tokenId") ?? undefined });
    if (!parsed.success) return answer(400, { errors: { _form: "stats.api.errors.bad_request" } });
    if (!(await revokeApiToken(user, parsed.data.tokenId))) notFound();
    return redirect("/admin/tokens?notice=revoked");
  }
  return answer(400, { errors: { _form: "stats.api.errors.bad_request" } });
}

export default function ApiTokens() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const { tokens, revoked } = useLoaderData<typeof loader>();
  const posted = useActionData<typeof action>();
  const errors = posted?.errors ?? {};
  const created = posted?.created ?? null;
  const summary = [...(errors._form ? [{ message: t(errors._form) }] : []), ...(errors.name ? [{ fieldId: "name", message: t(errors.name) }] : [])];
  return (
    <>
      <h1>{t("admin.tokens.title")}</h1>
      <p>{t("admin.tokens.intro")}</p>
      <p className="hint">{t("admin.tokens.usage")}</p>
      {revoked && !posted ? (
        <p className="notice" role="status">
          {t("stats.api.revoked_notice")}
        </p>
      ) : null}
      <ErrorSummary errors={summary} />

      {created ? (
        <div className="notice" role="status">
          <p>{t("stats.api.created_notice", { name: created.name })}</p>
          <div className="form-group">
            <label htmlFor="new-token">{t("admin.tokens.created")}</label>
            <input id="new-token" type="text" readOnly value={created.token} size={60} spellCheck={false} />
          </div>
        </div>
      ) : null}

      {tokens.length === 0 ? (
        <p>{t("admin.tokens.none")}</p>
      ) : (
        <TableScroll label={t("admin.tokens.caption")}>
          <table>
            <caption>{t("admin.tokens.caption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("admin.tokens.name")}</th>
                <th scope="col">{t("admin.tokens.created_at")}</th>
                <th scope="col">{t("admin.tokens.last_used")}</th>
                <th scope="col">{t("admin.tokens.state")}</th>
                <th scope="col">{t("stats.api.tokens_actions")}</th>
              </tr>
            </thead>
            <tbody>
              {tokens.map((k) => (
                <tr key={k.id}>
                  <th scope="row">{k.name}</th>
                  <td>{formatDateTime(k.createdAt, lang)}</td>
                  <td>{k.lastUsedAt ? formatDateTime(k.lastUsedAt, lang) : t("stats.api.never_used")}</td>
                  <td>{k.revokedAt ? t("stats.api.revoked_at", { date: formatDateTime(k.revokedAt, lang) }) : t("admin.tokens.active")}</td>
                  <td>
                    {k.revokedAt ? (
                      "—"
                    ) : (
                      <Form method="post" className="inline-form">
                        <input type="hidden" name="intent" value="revoke" />
                        <input type="hidden" name="tokenId" value={k.id} />
                        <button type="submit" className="button button--warning">
                          {t("admin.tokens.revoke", { name: k.name })}
                        </button>
                      </Form>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}

      <h2 id="create-title">{t("stats.api.create_title")}</h2>
      <Form method="post" noValidate aria-labelledby="create-title" key={created?.token ?? "create"}>
        <input type="hidden" name="intent" value="create" />
        <TextField
          id="name"
          name="name"
          label={t("admin.tokens.name")}
          hint={t("stats.api.name_hint")}
          autoComplete="off"
          maxLength={80}
          required
          defaultValue={created ? "" : posted?.values.name}
          error={errors.name ? t(errors.name) : undefined}
        />
        <button type="submit" className="button">
          {t("admin.tokens.create")}
        </button>
      </Form>
    </>
  );
}
