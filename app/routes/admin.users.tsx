import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ErrorSummary } from "~/components/error-summary";
import { TextField } from "~/components/text-field";
import { manageableRoles } from "~/core/auth/permissions";
import { fieldErrors } from "~/core/forms/field-errors";
import { NewStaffSchema, SecondFactorResetSchema, StaffQuerySchema, StaffStateSchema, STAFF_PASSWORD_MIN } from "~/core/staff/staff";
import { requirePermission } from "~/server/auth/guards.server";
import { notFound } from "~/server/platform/http.server";
import { getT } from "~/server/platform/i18n.server";
import { createStaff, listScopeAgencies, listStaff, setStaffDisabled } from "~/server/staff/staff.server";
import { enrolledAmong, resetSecondFactor } from "~/server/auth/second-factor.server";
import { formatDateTime, pickLang } from "~/utils/format";
import { requireFormData } from "~/server/platform/upload.server";
import { ListResults } from "~/components/list-results";

export const meta: MetaFunction<typeof loader> = ({ data: d }) => [{ title: d?.title ?? "" }];

const NOTICES = ["created", "disabled", "enabled", "second_factor_reset"] as const;
type Notice = (typeof NOTICES)[number];
const isNotice = (v: string | null): v is Notice => NOTICES.some((n) => n === v);

export async function loader({ request }: LoaderFunctionArgs) {
  const admin = await requirePermission(request, "officer:manage");
  const url = new URL(request.url);
  const query = StaffQuerySchema.parse(Object.fromEntries(url.searchParams));
  const notice = url.searchParams.get("notice");
  const t = await getT(request);
  const result = await listStaff({ manager: admin, query });
  const enrolled = await enrolledAmong(result.items.map((r) => r.id));
  return {
    title: t("admin.users.title"),
    query,
    notice: isNotice(notice) ? notice : null,
    result: { ...result, items: result.items.map((r) => ({ ...r, disabledAt: r.disabledAt?.toISOString() ?? null, secondFactor: enrolled.has(r.id) })) },
    filterAgencies: await listScopeAgencies({ agencyPath: admin.agencyPath, includeDissolved: true }),
    createAgencies: await listScopeAgencies({ agencyPath: admin.agencyPath, includeDissolved: false }),
    roles: manageableRoles(admin.role),
  };
}

/** Keeps the list's filters across a POST → redirect → GET, rebuilt from the parsed query (never echoed raw). */
function listUrl(request: Request, notice: Notice): string {
  const query = StaffQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const params = new URLSearchParams();
  if (query.agency) params.set("agency", query.agency);
  if (query.q) params.set("q", query.q);
  if (query.page > 1) params.set("page", String(query.page));
  params.set("notice", notice);
  return `/admin/users?${params}`;
}

const CREATE_ERRORS = {
  role_not_allowed: { field: "role", status: 403 },
  agency_invalid: { field: "agency", status: 400 },
  email_taken: { field: "email", status: 400 },
} as const;

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requirePermission(request, "officer:manage");
  const form = Object.fromEntries(await requireFormData(request));
  if (form.intent === "create") {
    // What was typed comes back to the form; the password never does.
    const text = (v: FormDataEntryValue | undefined) => (typeof v === "string" ? v.slice(0, 254) : "");
    const values = { fullName: text(form.fullName), email: text(form.email), agency: text(form.agency), role: text(form.role) };
    const parsed = NewStaffSchema.safeParse(form);
    if (!parsed.success) return data({ intent: "create", errors: fieldErrors(parsed.error), values }, { status: 400 });
    const outcome = await createStaff({ manager: admin, staff: parsed.data });
    if (!outcome.ok) {
      const { field, status } = CREATE_ERRORS[outcome.error];
      return data({ intent: "create", errors: { [field]: `admin.errors.${outcome.error}` }, values }, { status });
    }
    return redirect(listUrl(request, "created"));
  }
  if (form.intent === "reset-second-factor") {
    const reset = SecondFactorResetSchema.safeParse(form);
    if (!reset.success) return data({ intent: "state", errors: { _form: "admin.errors.bad_request" }, values: null }, { status: 400 });
    const outcome = await resetSecondFactor({ manager: admin, userId: reset.data.userId });
    if (!outcome.ok) {
      if (outcome.error === "not_found") notFound();
      if (outcome.error === "self") return data({ intent: "state", errors: { _form: "admin.errors.cannot_reset_self" }, values: null }, { status: 400 });
      return data({ intent: "state", errors: { _form: "admin.errors.not_allowed" }, values: null }, { status: 403 });
    }
    return redirect(listUrl(request, "second_factor_reset"));
  }
  const parsed = StaffStateSchema.safeParse(form);
  if (!parsed.success) return data({ intent: "state", errors: { _form: "admin.errors.bad_request" }, values: null }, { status: 400 });
  const outcome = await setStaffDisabled({ manager: admin, userId: parsed.data.userId, disabled: parsed.data.intent === "disable" });
  if (!outcome.ok) {
    if (outcome.error === "not_found") notFound();
    if (outcome.error === "self") return data({ intent: "state", errors: { _form: "admin.errors.cannot_disable_self" }, values: null }, { status: 400 });
    return data({ intent: "state", errors: { _form: "admin.errors.not_allowed" }, values: null }, { status: 403 });
  }
  return redirect(listUrl(request, parsed.data.intent === "disable" ? "disabled" : "enabled"));
}

function SelectField(props: {
  id: string;
  label: string;
  error?: string;
  defaultValue: string;
  placeholder: string;
  options: { value: string; label: string }[];
}) {
  const { id, label, error, defaultValue, placeholder, options } = props;
  return (
    <div className={`form-group${error ? " form-group--error" : ""}`}>
      <label htmlFor={id}>{label}</label>
      {error ? (
        <span id={`${id}-error`} className="error-message">
          {error}
        </span>
      ) : null}
      <select
        id={id}
        name={id}
        defaultValue={defaultValue}
        required
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
      >
        <option value="">{placeholder}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

export default function AdminUsers() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const { query, notice, result, filterAgencies, createAgencies, roles } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const errors: Record<string, string> = answer?.errors ?? {};
  const created = answer?.intent === "create" ? answer.values : null;
  const agencyLabel = (a: { nameVi: string; nameEn: string | null; level: number }) => `${"\u2003".repeat(a.level)}${pickLang(a.nameVi, a.nameEn, lang)}`;
  const fieldOrder = ["fullName", "email", "agency", "role", "password"];
  const summary = [
    ...(errors._form ? [{ message: t(errors._form) }] : []),
    ...fieldOrder.flatMap((f) => (errors[f] ? [{ fieldId: f, message: t(errors[f]) }] : [])),
  ];
  return (
    <>
      <h1>{t("admin.users.title")}</h1>
      {notice ? (
        <p className="notice" role="status">
          {t(`admin.users.notice_${notice}`)}
        </p>
      ) : null}
      <ErrorSummary errors={summary} />

      <Form method="get" className="filters" role="search" aria-label={t("admin.users.filters")}>
        <div className="form-group">
          <label htmlFor="filter-agency">{t("admin.users.agency")}</label>
          <select id="filter-agency" name="agency" defaultValue={query.agency ?? ""}>
            <option value="">{t("admin.users.all_agencies")}</option>
            {filterAgencies.map((a) => (
              <option key={a.code} value={a.code}>
                {a.dissolved ? t("admin.users.dissolved", { name: agencyLabel(a) }) : agencyLabel(a)}
              </option>
            ))}
          </select>
        </div>
        <div className="form-group">
          <label htmlFor="filter-q">{t("admin.users.search")}</label>
          <input id="filter-q" type="search" name="q" defaultValue={query.q ?? ""} maxLength={100} />
        </div>
        <div>
          <button type="submit" className="button">
            {t("admin.users.apply_filters")}
          </button>
        </div>
      </Form>

      <ListResults strings="admin.users" columns={["name", "email", "agency_name", "role", "state", "second_factor", "actions"]} result={result}>
        {result.items.map((u) => (
          <tr key={u.id}>
            <th scope="row">{u.fullName}</th>
            <td>{u.email}</td>
            <td>{pickLang(u.agencyVi, u.agencyEn, lang)}</td>
            <td>{t(`admin.roles.${u.role}`)}</td>
            <td>{u.disabledAt ? t("admin.users.disabled_since", { date: formatDateTime(u.disabledAt, lang) }) : t("admin.users.active")}</td>
            <td>{t(u.secondFactor ? "admin.users.second_factor_on" : "admin.users.second_factor_off")}</td>
            <td>
              {u.manageable ? (
                <>
                  <Form method="post" className="inline-form">
                    <input type="hidden" name="intent" value={u.disabledAt ? "enable" : "disable"} />
                    <input type="hidden" name="userId" value={u.id} />
                    <button type="submit" className={u.disabledAt ? "button button--secondary" : "button button--warning"}>
                      {t(u.disabledAt ? "admin.users.enable" : "admin.users.disable")}
                      <span className="visually-hidden"> {t("admin.users.account_of", { name: u.fullName })}</span>
                    </button>
                  </Form>
                  {u.secondFactor ? (
                    <Form method="post" className="inline-form">
                      <input type="hidden" name="intent" value="reset-second-factor" />
                      <input type="hidden" name="userId" value={u.id} />
                      <button type="submit" className="button button--secondary">
                        {t("admin.users.reset_second_factor")}
                        <span className="visually-hidden"> {t("admin.users.account_of", { name: u.fullName })}</span>
                      </button>
                    </Form>
                  ) : null}
                </>
              ) : u.self ? (
                t("admin.users.you")
              ) : (
                "—"
              )}
            </td>
          </tr>
        ))}
      </ListResults>

      <h2 id="create-title">{t("admin.users.create_title")}</h2>
      <Form method="post" noValidate aria-labelledby="create-title">
        <input type="hidden" name="intent" value="create" />
        <TextField
          id="fullName"
          name="fullName"
          label={t("admin.users.full_name")}
          autoComplete="off"
          defaultValue={created?.fullName}
          error={errors.fullName ? t(errors.fullName) : undefined}
          required
          maxLength={100}
        />
        <TextField
          id="email"
          name="email"
          type="email"
          label={t("admin.users.email")}
          autoComplete="off"
          defaultValue={created?.email}
          error={errors.email ? t(errors.email) : undefined}
          required
        />
        <SelectField
          id="agency"
          label={t("admin.users.agency_name")}
          placeholder={t("admin.users.choose_agency")}
          defaultValue={created?.agency ?? ""}
          error={errors.agency ? t(errors.agency) : undefined}
          options={createAgencies.map((a) => ({ value: a.code, label: agencyLabel(a) }))}
        />
        <SelectField
          id="role"
          label={t("admin.users.role")}
          placeholder={t("admin.users.choose_role")}
          defaultValue={created?.role ?? (roles.length === 1 ? (roles[0] ?? "") : "")}
          error={errors.role ? t(errors.role) : undefined}
          options={roles.map((r) => ({ value: r, label: t(`admin.roles.${r}`) }))}
        />
        <TextField
          id="password"
          name="password"
          type="password"
          label={t("admin.users.password")}
          hint={t("admin.users.password_hint")}
          autoComplete="new-password"
          minLength={STAFF_PASSWORD_MIN}
          error={errors.password ? t(errors.password) : undefined}
          required
        />
        <button type="submit" className="button">
          {t("admin.users.create")}
        </button>
      </Form>
    </>
  );
}
