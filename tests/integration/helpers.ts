import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import argon2 from "argon2";
import * as schema from "../../db/schema";
import { db } from "../../app/server/platform/db.server";
import { signIn } from "../../app/server/auth/session.server";
import { STATUS } from "../../app/core/dossiers/status";
import { found } from "../../app/server/platform/http.server";

const BASE = "http://localhost";
let counter = 0;

export type Citizen = { id: number; cookie: string; email: string };

/**
 * A fresh citizen with a real session (the same signIn the login action uses): an established account,
 * its e-mail confirmed and its phone 0903123456 confirmed unless `phoneConfirmed: false`.
 */
export async function newCitizen(name = "Lê Văn Cường", options: { phoneConfirmed?: boolean } = {}): Promise<Citizen> {
  counter += 1;
  const email = `citizen${counter}-${Date.now()}@example.vn`;
  const passwordHash = await argon2.hash("mat-khau-rat-dai-123", { type: argon2.argon2id });
  const user = db()
    .insert(schema.users)
    .values({
      email,
      fullName: name,
      phone: "0903123456",
      phoneConfirmedAt: options.phoneConfirmed === false ? null : new Date(),
      passwordHash,
      role: "citizen",
    })
    .returning({ id: schema.users.id })
    .get();
  const response = await signIn(new Request(BASE), user.id, "/");
  const cookie = (response.headers.get("Set-Cookie") ?? "").split(";")[0] ?? "";
  return { id: user.id, cookie, email };
}

export function get(path: string, cookie?: string): Request {
  return new Request(`${BASE}${path}`, { headers: cookie ? { Cookie: cookie } : {} });
}

export function post(path: string, body: FormData | URLSearchParams, cookie?: string): Request {
  return new Request(`${BASE}${path}`, { method: "POST", body, headers: cookie ? { Cookie: cookie } : {} });
}

export function formOf(values: Record<string, string | string[] | File>): FormData {
  const form = new FormData();
  for (const [k, v] of Object.entries(values)) {
    if (Array.isArray(v)) for (const item of v) form.append(k, item);
    else form.append(k, v);
  }
  return form;
}

/**
 * What a loader or action answered, whether it returned or threw: a Response
 * (redirect, 404…) or single-fetch `data()` with its status.
 */
export type Outcome = { status: number; location: string | null; data: unknown };

function isDataWithInit(v: unknown): v is { type: "DataWithResponseInit"; data: unknown; init: ResponseInit | null } {
  return typeof v === "object" && v !== null && "type" in v && v.type === "DataWithResponseInit";
}

export async function run(
  fn: (args: LoaderFunctionArgs & ActionFunctionArgs) => unknown,
  request: Request,
  params: Record<string, string> = {},
): Promise<Outcome> {
  let value: unknown;
  try {
    value = await fn({ request, params, context: {} });
  } catch (thrown) {
    value = thrown;
  }
  if (value instanceof Response) {
    const type = value.headers.get("Content-Type") ?? "";
    const body = type.includes("json") ? await value.json() : type.startsWith("text/") ? await value.text() : null;
    return { status: value.status, location: value.headers.get("Location"), data: body };
  }
  if (isDataWithInit(value)) return { status: value.init?.status ?? 200, location: null, data: value.data };
  if (value instanceof Error) throw value;
  return { status: 200, location: null, data: value };
}

/**
 * A citizen fills a seeded procedure's whole form (valid answers, every file) and submits it.
 * Goes through the real routes, so it exercises what a browser would.
 */
export async function submitDossier(
  citizen: Citizen,
  code: string,
  deliveryMode: "counter" | "online" | "post" = "counter",
  overrides: Record<string, string> = {},
) {
  const [{ onlineProcedure }, apply, check, { fileFields }, { deliveryAnswer, validAnswers }, files, { db }, schema, { and, eq }] = await Promise.all([
    import("../../app/server/dossiers/application.server"),
    import("../../app/routes/procedures.$code_.apply"),
    import("../../app/routes/procedures.$code_.apply_.check"),
    import("../../app/core/forms/definition"),
    import("../fixtures/answers"),
    import("../fixtures/files"),
    import("../../app/server/platform/db.server"),
    import("../../db/schema"),
    import("drizzle-orm"),
  ]);
  const { form } = found(await onlineProcedure(code));
  const attachments = Object.fromEntries(
    fileFields(form.definition).map((f) => [
      f.name,
      f.accept.includes("pdf")
        ? new File([files.PDF_BYTES], "a.pdf", { type: "application/pdf" })
        : new File([files.PNG_BYTES], "a.png", { type: "image/png" }),
    ]),
  );
  const filled = await run(
    apply.action,
    post(
      `/procedures/${code}/apply`,
      formOf({ ...validAnswers(form.definition), ...deliveryAnswer(form.definition, deliveryMode), ...overrides, ...attachments, intent: "continue" }),
      citizen.cookie,
    ),
    { code },
  );
  if (filled.location !== `/procedures/${code}/apply/check`) throw new Error(`form not accepted: ${JSON.stringify(filled.data)}`);
  const draft = db()
    .select()
    .from(schema.dossiers)
    .where(and(eq(schema.dossiers.applicantId, citizen.id), eq(schema.dossiers.status, STATUS.draft)))
    .get();
  const res = await run(check.action, post(`/procedures/${code}/apply/check`, formOf({ dossierId: String(draft?.id), deliveryMode }), citizen.cookie), {
    code,
  });
  const receiptCode = res.location?.match(/^\/applications\/([^?]+)/)?.[1];
  if (!receiptCode || !draft) throw new Error(`not submitted: ${JSON.stringify(res)}`);
  return { receiptCode, dossierId: draft.id };
}

export type StaffRole = "officer" | "agency_admin" | "system_admin";
export type Staff = Citizen & { role: StaffRole; agencyId: number | null; password: string };
export const STAFF_PASSWORD = "mat-khau-can-bo-2026";

/**
 * A fresh staff account in the agency with this code (null for a system administrator) and a real
 * session. Written straight to the table, with no event: setting up a test is not an administrator's act.
 */
export async function newStaff(role: StaffRole, agencyCode: string | null, name = "Cán bộ Thử Nghiệm"): Promise<Staff> {
  const [{ default: argon2 }, { db }, schema, { eq }] = await Promise.all([
    import("argon2"),
    import("../../app/server/platform/db.server"),
    import("../../db/schema"),
    import("drizzle-orm"),
  ]);
  counter += 1;
  const email = `${role.replace("_", ".")}${counter}-${Date.now()}@example.vn`;
  const agency = agencyCode ? db().select({ id: schema.agencies.id }).from(schema.agencies).where(eq(schema.agencies.code, agencyCode)).get() : null;
  if (agencyCode && !agency) throw new Error(`unknown agency ${agencyCode}`);
  const passwordHash = await argon2.hash(STAFF_PASSWORD, { type: argon2.argon2id });
  const user = db()
    .insert(schema.users)
    .values({ email, fullName: name, passwordHash, role, agencyId: agency?.id ?? null })
    .returning({ id: schema.users.id })
    .get();
  return { id: user.id, cookie: await sessionCookie(user.id), email, role, agencyId: agency?.id ?? null, password: STAFF_PASSWORD };
}

/** A session for an existing (e.g. seeded) account, by e-mail. */
export async function signInAs(email: string): Promise<{ id: number; cookie: string }> {
  const [{ db }, schema, { eq }] = await Promise.all([import("../../app/server/platform/db.server"), import("../../db/schema"), import("drizzle-orm")]);
  const user = db().select({ id: schema.users.id }).from(schema.users).where(eq(schema.users.email, email)).get();
  if (!user) throw new Error(`no account ${email}`);
  return { id: user.id, cookie: await sessionCookie(user.id) };
}

async function sessionCookie(userId: number): Promise<string> {
  const response = await signIn(new Request(BASE), userId, "/");
  return (response.headers.get("Set-Cookie") ?? "").split(";")[0] ?? "";
}

/** The links of the administration area's navigation (the layout and overview loaders' `sections`). */
export function sectionLinks(data: unknown): string[] {
  if (typeof data !== "object" || data === null || !("sections" in data) || !Array.isArray(data.sections)) return [];
  return data.sections.flatMap((s: unknown) => (typeof s === "object" && s !== null && "to" in s && typeof s.to === "string" ? [s.to] : []));
}

/**
 * An officer issues a dossier's result the way the issue page does, with its procedure's result fields
 * filled (valid values unless overridden): the only way a dossier reaches "result ready".
 */
export async function issueTestResult(input: {
  dossierId: number;
  actor: import("../../app/server/dossiers/workflow.server").Actor;
  now?: Date;
  values?: Record<string, string>;
}) {
  const [{ db }, schema, { eq }, { issueResult }, { resultFieldsOf }, { fieldsSchema }, { validResultValues }] = await Promise.all([
    import("../../app/server/platform/db.server"),
    import("../../db/schema"),
    import("drizzle-orm"),
    import("../../app/server/results/results.server"),
    import("../../app/core/results/result-fields"),
    import("../../app/core/forms/answers-schema"),
    import("../fixtures/results"),
  ]);
  const row = db()
    .select({ resultFields: schema.procedures.resultFields })
    .from(schema.dossiers)
    .innerJoin(schema.procedures, eq(schema.procedures.id, schema.dossiers.procedureId))
    .where(eq(schema.dossiers.id, input.dossierId))
    .get();
  const fields = resultFieldsOf(row?.resultFields);
  const values = fieldsSchema(fields, "2026-12-05").parse({ ...validResultValues(fields), ...input.values });
  return issueResult({ dossierId: input.dossierId, actor: input.actor, now: input.now, origin: BASE, content: { source: "fields", values } });
}
