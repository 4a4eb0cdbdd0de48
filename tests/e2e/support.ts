import AxeBuilder from "@axe-core/playwright";
import { expect, type BrowserContext, type Locator, type Page } from "@playwright/test";
import * as z from "zod";
import { allFields, FormDefinitionSchema, localText, type Field, type FormDefinition, type GroupItem } from "../../app/core/forms/definition";
import Database from "better-sqlite3";
import { readFileSync } from "node:fs";
import path from "node:path";
import { resultFieldsOf, type ResultFields } from "../../app/core/results/result-fields";
import { deliveryAnswer, validAnswer, validAnswers } from "../fixtures/answers";
import { formState } from "../../app/core/forms/visibility";
import { validResultValues } from "../fixtures/results";
import { PDF_BYTES, PNG_BYTES } from "../fixtures/files";
import { formatDateInput } from "../../app/utils/format";
import { openSecret } from "../../app/core/auth/second-factor";
import { freshCode } from "../fixtures/second-factor";

/** The form definition a procedure is seeded with, read from the same JSON the seed uses. */
export function seededForm(code: string): FormDefinition {
  const procedures: unknown = JSON.parse(readFileSync("db/seed-data/procedures.json", "utf8"));
  const found = z
    .array(z.object({ code: z.string(), form: z.unknown().optional() }))
    .parse(procedures)
    .find((x) => x.code === code);
  if (!found?.form) throw new Error(`no seeded form for ${code}`);
  return FormDefinitionSchema.parse(found.form);
}

/**
 * Fails the test on any axe-core violation (WCAG 2.1 A/AA rules), listing them readably.
 * axe runs inside the page, so for a page rendered without JavaScript its HTML (scripts
 * removed) is checked in a scripting page of the same origin, with the same stylesheet.
 */
export async function expectAccessible(page: Page, javaScript = true) {
  let target = page;
  let scratch: Page | null = null;
  const context = page.context();
  if (!javaScript) {
    const html = (await page.content()).replace(/<script\b[\s\S]*?<\/script>/gi, "");
    const browser = context.browser();
    if (!browser) throw new Error("no browser");
    // Explicitly on: a context made inside a no-JS test would inherit javaScriptEnabled=false.
    const scripting = await browser.newContext({ baseURL: new URL(page.url()).origin, javaScriptEnabled: true });
    scratch = await scripting.newPage();
    await scratch.route("**/__axe-snapshot", (route) => route.fulfill({ body: html, contentType: "text/html; charset=utf-8" }));
    await scratch.goto("/__axe-snapshot");
    target = scratch;
  }
  const results = await new AxeBuilder({ page: target }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  if (scratch) await scratch.context().close();
  const summary = results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
  expect(summary, `axe violations on ${page.url()}`).toEqual([]);
}

/**
 * The confirmation link e-mailed to `email`, read from the outbox in the e2e server's database
 * (tests/e2e/start-server.js), as the citizen would read it in their mailbox.
 */
export function confirmationLink(email: string): string {
  const file = new Database(path.resolve("test-results/e2e-data/portal.db"), { readonly: true, fileMustExist: true });
  try {
    const row = file.prepare("select body from notifications where recipient = ? and template = 'account_confirm' order by id desc limit 1").get(email);
    const body = z.object({ body: z.string() }).parse(row).body;
    const link = body.match(/https?:\/\/\S+\/account\/confirm\?token=\S+/)?.[0];
    if (!link) throw new Error(`no confirmation link for ${email}`);
    const url = new URL(link);
    return `${url.pathname}${url.search}`;
  } finally {
    file.close();
  }
}

let counter = 0;
/**
 * Creates an account through the registration page, as a person would: registers, opens the link
 * from the confirmation e-mail, activates the account, and goes back where they were; ends signed in.
 */
export async function registerCitizen(page: Page, name = "Đỗ Thị Hạnh") {
  counter += 1;
  const email = `e2e-${process.pid}-${counter}-${Date.now()}@example.vn`;
  // Each citizen from an address of their own, as behind the portal's reverse proxy (it trusts the
  // loopback's X-Forwarded-For): the portal takes 10 registrations an hour from one address, and a
  // run of the suite registers more than that.
  const octet = () => Math.floor(Math.random() * 250) + 1;
  await page.setExtraHTTPHeaders({ "X-Forwarded-For": `10.${octet()}.${octet()}.${octet()}` });
  await page.getByRole("link", { name: "Đăng ký tài khoản công dân" }).click();
  const back = page.url();
  await page.getByLabel("Họ và tên").fill(name);
  await page.getByLabel("Thư điện tử").fill(email);
  await page.getByLabel("Số điện thoại (không bắt buộc)").fill("0912 345 678");
  await page.getByLabel("Mật khẩu", { exact: true }).fill("mat-khau-rat-dai-2026");
  await page.getByLabel("Nhập lại mật khẩu").fill("mat-khau-rat-dai-2026");
  await page.getByRole("button", { name: "Tạo tài khoản" }).click();
  await expect(page.getByRole("heading", { name: "Kiểm tra hộp thư của bạn" })).toBeVisible();
  await page.goto(confirmationLink(email));
  await page.getByRole("button", { name: "Kích hoạt tài khoản" }).click();
  await expect(page.getByRole("heading", { name: "Tài khoản của bạn" })).toBeVisible();
  // The registration page kept where the citizen was going (?redirectTo=…); sign-in pages send a signed-in user on.
  const redirectTo = new URL(back).searchParams.get("redirectTo");
  if (redirectTo) await page.goto(redirectTo);
  return email;
}

export const fieldLabel = (def: FormDefinition, name: string) => {
  const f = allFields(def).find((x) => x.name === name);
  if (!f) throw new Error(`no field ${name}`);
  return localText(f.label, "vi") + (f.required ? "" : " (không bắt buộc)");
};

/** A field found as a person finds it: its section (a fieldset with a legend), then its label. */
export function fieldLocator(page: Page, def: FormDefinition, name: string) {
  const section = def.sections.find((s) => s.fields.some((f) => f.name === name));
  if (!section) throw new Error(`no field ${name}`);
  return page.getByRole("group", { name: localText(section.title, "vi"), exact: true }).getByLabel(fieldLabel(def, name), { exact: true });
}

/**
 * Fills every field of a seeded form by its visible label (Vietnamese), with valid answers unless overridden —
 * every field those answers show: one they hide (the father's details when the father is not established) is
 * left alone. Without JavaScript the page shows what a blank form shows (tests/unit/seed-forms.test.ts checks
 * that it holds every field the default answers show). A repeating group's first rows are filled as it shows them.
 */
export async function fillForm(page: Page, def: FormDefinition, overrides: Record<string, string> = {}, options: { skip?: ReadonlySet<string> } = {}) {
  const { hidden } = formState(def, { ...validAnswers(def), ...overrides });
  for (const section of def.sections) {
    const group = page.getByRole("group", { name: localText(section.title, "vi"), exact: true });
    for (const field of section.fields) {
      // Skipped: fields the page fills itself and locks (verified answers), or that a test fills its own way.
      if (hidden.has(field.name) || options.skip?.has(field.name)) continue;
      if (field.type === "group") {
        for (let row = 0; row < field.minRows; row++) {
          const rowGroup = group.getByRole("group", { name: rowLegend(field, row), exact: true });
          for (const item of field.fields) await fillField(rowGroup, item, overrides[`${field.name}.${row}.${item.name}`] ?? validAnswer(item));
        }
        continue;
      }
      await fillField(group, field, overrides[field.name] ?? validAnswer(field));
    }
  }
}

/** How a row of a repeating group is named (its fieldset's legend), as the form writes it in Vietnamese. */
export function rowLegend(group: Extract<Field, { type: "group" }>, row: number): string {
  return `${localText(group.rowLabel ?? group.label, "vi")} ${row + 1}`;
}

async function fillField(group: Locator, field: Exclude<Field, { type: "group" }> | GroupItem, value: string | string[] | null) {
  const label = localText(field.label, "vi") + (field.required ? "" : " (không bắt buộc)");
  switch (field.type) {
    case "file": {
      const pdf = field.accept.includes("pdf");
      await group.getByLabel(label, { exact: true }).setInputFiles({
        name: pdf ? "giay-to.pdf" : "anh.png",
        mimeType: pdf ? "application/pdf" : "image/png",
        buffer: Buffer.from(pdf ? PDF_BYTES : PNG_BYTES),
      });
      break;
    }
    case "radio":
    case "checkbox":
      if (field.options) {
        const option = field.options.find((o) => o.value === (Array.isArray(value) ? value[0] : value));
        if (option) await group.getByRole("group", { name: label, exact: true }).getByLabel(localText(option.label, "vi"), { exact: true }).check();
      } else {
        await group.getByRole("checkbox", { name: label, exact: true }).check();
      }
      break;
    case "select":
      await group.getByLabel(label, { exact: true }).selectOption(String(value));
      break;
    case "date":
      // Typed as a person writes a date: day/month/year (decision 015).
      await group.getByLabel(label, { exact: true }).fill(formatDateInput(String(value ?? "")));
      break;
    default:
      await group.getByLabel(label, { exact: true }).fill(String(value ?? ""));
  }
}

const DELIVERY_LABELS = {
  counter: "Nhận trực tiếp tại bộ phận một cửa",
  online: "Nhận kết quả điện tử trực tuyến",
  post: "Nhận qua dịch vụ bưu chính công ích",
} as const;

/**
 * From the procedure page to a submitted dossier: sign up, fill, check, submit, receiving the result as
 * `delivery` — chosen in the form when the form asks, else on the check-answers page. Returns the receipt code.
 */
export async function applyAndSubmit(page: Page, code: string, delivery: keyof typeof DELIVERY_LABELS) {
  const def = seededForm(code);
  const inForm = deliveryAnswer(def, delivery);
  await page.goto(`/procedures/${code}/apply`);
  await registerCitizen(page);
  await fillForm(page, def, inForm);
  await page.getByRole("button", { name: "Tiếp tục" }).click();
  await expect(page.getByRole("heading", { name: "Kiểm tra thông tin trước khi nộp" })).toBeVisible();
  if (Object.keys(inForm).length > 0) {
    // The form's answer is carried as given: no second question.
    await expect(page.getByText(`Kết quả được trả theo hình thức bạn đã chọn trong tờ khai: ${DELIVERY_LABELS[delivery]}.`)).toBeVisible();
    await expect(page.getByRole("radio")).toHaveCount(0);
  } else {
    await page.getByLabel(DELIVERY_LABELS[delivery], { exact: true }).check();
  }
  await page.getByRole("button", { name: "Nộp hồ sơ" }).click();
  await expect(page.getByRole("heading", { name: "Đã nộp hồ sơ" })).toBeVisible();
  return (await page.locator(".panel__code").textContent())?.trim() ?? "";
}

/**
 * Signs in through the form, as a person would; staff then pass the second step (decision 033): on
 * their first sign-in they enrol with the key the page shows and go on past their recovery codes,
 * later they type a code computed from their secret (read from the server's database, as their phone
 * would hold it).
 */
export async function signIn(page: Page, email: string, password: string) {
  const kept = keptSessions.get(email);
  if (kept) {
    await page.context().addCookies([kept.cookie]);
    await page.goto(kept.landing);
    if (new URL(page.url()).pathname !== "/login") return;
    // Signed out or revoked since: the form again.
    keptSessions.delete(email);
    await page.context().clearCookies({ name: kept.cookie.name });
  }
  await page.goto("/login");
  await page.getByLabel("Thư điện tử").fill(email);
  await page.getByLabel("Mật khẩu").fill(password);
  await page.getByRole("button", { name: "Đăng nhập" }).click();
  await page.waitForURL((url) => url.pathname !== "/login");
  if (new URL(page.url()).pathname !== "/login/two-factor") return;
  await passSecondStep(page, email);
  const cookie = (await page.context().cookies()).find((c) => c.name === "__session");
  if (cookie) keptSessions.set(email, { cookie, landing: new URL(page.url()).pathname });
}

/**
 * Staff sessions this worker has signed in, reused by later tests: a TOTP code is accepted once per
 * 30-second step, so every test signing the same account in through the form would queue on the clock
 * (and lose races to the other worker). The form and the second step are still exercised on each
 * worker's first sign-in per account, and by the specs that test them (two-factor, ux-layout).
 */
const keptSessions = new Map<string, { cookie: Awaited<ReturnType<BrowserContext["cookies"]>>[number]; landing: string }>();

/** The e2e server's key for second-factor secrets (tests/e2e/start-server.js). */
const E2E_TWO_FACTOR_KEY = "e2e-only-two-factor-key-0123456789abcdef";

/** A staff member's TOTP secret and last used step, from the e2e server's database; null before enrolment. */
export function secondFactorOf(email: string): { secret: string; lastUsedStep: number | null } | null {
  const file = new Database(path.resolve("test-results/e2e-data/portal.db"), { readonly: true, fileMustExist: true });
  try {
    const row = file
      .prepare(
        "select f.user_id as userId, f.secret as box, f.last_used_step as lastUsedStep from staff_second_factors f join users u on u.id = f.user_id where u.email = ? and f.confirmed_at is not null",
      )
      .get(email);
    if (row === undefined) return null;
    const { userId, box, lastUsedStep } = z.object({ userId: z.number(), box: z.string(), lastUsedStep: z.number().nullable() }).parse(row);
    const secret = openSecret({ box, key: E2E_TWO_FACTOR_KEY, userId });
    if (!secret) throw new Error(`the secret of ${email} does not open with the e2e key`);
    return { secret, lastUsedStep };
  } finally {
    file.close();
  }
}

/**
 * On the second step's page: enrols (the key as shown, a code from it, past the recovery codes) or types
 * a fresh code. Another worker signing the same account in may take the same step first: then again.
 */
/** The second step's words in a language, from locales/<lang>/common.json, as a person reads them. */
function twoFactorText(lang: "vi" | "en") {
  const file = readFileSync(path.resolve("locales", lang, "common.json"), "utf8");
  const words = z.object({
    enrol_title: z.string(),
    verify_title: z.string(),
    key_label: z.string(),
    code: z.string(),
    confirm: z.string(),
    codes_title: z.string(),
    continue: z.string(),
  });
  return z.object({ two_factor: words }).parse(JSON.parse(file)).two_factor;
}

export async function passSecondStep(page: Page, email: string, lang: "vi" | "en" = "vi") {
  const words = twoFactorText(lang);
  for (let attempt = 0; attempt < 6; attempt += 1) {
    await expect(page.getByRole("heading", { level: 1 }).filter({ hasText: new RegExp(`^(${words.enrol_title}|${words.verify_title})$`) })).toBeVisible();
    const key = page.getByLabel(words.key_label);
    const enrolling = (await key.count()) > 0;
    const secret = enrolling ? ((await key.textContent()) ?? "").replace(/\s/g, "") : secondFactorOf(email)?.secret;
    if (!secret) throw new Error(`no second factor for ${email}`);
    const { code } = await freshCode(secret, enrolling ? null : (secondFactorOf(email)?.lastUsedStep ?? null));
    await page.getByLabel(words.code, { exact: true }).fill(code);
    const answered = page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname === "/login/two-factor");
    await page.getByRole("button", { name: words.confirm, exact: true }).click();
    const answer = await answered;
    const status = answer.status();
    // 400: the step was just used (by another worker); 302 back here: another worker enrolled first.
    if (status === 400) {
      await expect(page.getByRole("alert")).toBeVisible();
      continue;
    }
    if (status === 302 && (answer.headers().location ?? "").startsWith("/login/two-factor")) {
      await page.waitForURL((url) => url.pathname === "/login/two-factor");
      await page.waitForLoadState();
      continue;
    }
    expect(status, `the second step for ${email}`).toBeLessThan(400);
    if (enrolling) {
      await expect(page.getByRole("heading", { level: 1, name: words.codes_title })).toBeVisible();
      await page.getByRole("link", { name: words.continue }).click();
    }
    await page.waitForURL((url) => !url.pathname.startsWith("/login"));
    return;
  }
  throw new Error(`the second step kept refusing ${email}`);
}

/**
 * An officer presses one action button on the dossier page and waits for the server's answer.
 * The button vanishing is not enough on its own: while a page without JavaScript navigates, the
 * half-loaded document has no button either, and the next step could then read the dossier
 * before the move is committed.
 */
export async function officerAct(page: Page, name: string) {
  const button = page.getByRole("button", { name, exact: true });
  const answered = page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname.startsWith("/officer/dossiers/"));
  await button.click();
  expect((await answered).status(), `the officer's "${name}"`).toBeLessThan(400);
  await expect(button).toHaveCount(0);
}

/** An officer, in a browser context of their own, moves the dossier to "result ready", filling the procedure's result fields. */
export async function officerIssuesResult(page: Page, receiptCode: string, email = "can.bo.congan.hanoi@example.vn") {
  await signIn(page, email, "CanBo@2026");
  await page.goto(`/officer/dossiers/${receiptCode}`);
  for (const action of ["Tiếp nhận hồ sơ", "Bắt đầu xử lý"]) await officerAct(page, action);
  await officerConfirms(page, "Trả kết quả (có kết quả)", "Ký và trả kết quả", async (p) =>
    fillResultFields(p, seededResultFields(await procedureCodeOnPage(p))),
  );
  await expect(page.getByText("Đã có kết quả", { exact: true })).toBeVisible();
}

/** The result fields a procedure is seeded with (db/seed-data/procedures.json, `resultFields`). */
export function seededResultFields(code: string): ResultFields {
  const procedures: unknown = JSON.parse(readFileSync("db/seed-data/procedures.json", "utf8"));
  const found = z
    .array(z.object({ code: z.string(), resultFields: z.unknown().optional() }))
    .parse(procedures)
    .find((x) => x.code === code);
  return resultFieldsOf(found?.resultFields);
}

/** The procedure's national code, as the confirmation page's summary shows it: "Name (1.001193)". */
async function procedureCodeOnPage(page: Page): Promise<string> {
  const text = (await page.locator(".summary-list").first().textContent()) ?? "";
  const code = /\((\d\.\d{6})\)/.exec(text)?.[1];
  if (!code) throw new Error("no procedure code on the page");
  return code;
}

/** Fills the result fields by their visible labels (Vietnamese), with valid values unless overridden. */
export async function fillResultFields(page: Page, fields: ResultFields, overrides: Record<string, string> = {}) {
  const values = { ...validResultValues(fields), ...overrides };
  for (const field of fields) {
    const input = page.getByLabel(localText(field.label, "vi") + (field.required ? "" : " (không bắt buộc)"), { exact: true });
    if (field.type === "select") await input.selectOption(values[field.name] ?? "");
    else await input.fill(values[field.name] ?? "");
  }
}

/**
 * An irreversible move, as an officer makes it: the link on the dossier page opens its confirmation
 * page; `fill` completes it (a reason, the result); the button confirms; back on the dossier page.
 */
export async function officerConfirms(page: Page, link: string, button: string, fill?: (page: Page) => Promise<void>) {
  await page.getByRole("link", { name: link, exact: true }).click();
  const confirm = page.getByRole("button", { name: button, exact: true });
  await expect(confirm).toBeVisible();
  if (fill) await fill(page);
  const answered = page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname.startsWith("/officer/dossiers/"));
  await confirm.click();
  expect((await answered).status(), `the officer's "${button}"`).toBeLessThan(400);
  await expect(page.getByRole("heading", { level: 1, name: /^Xử lý hồ sơ / })).toBeVisible();
}

/** On the gateway simulator: pick a bank and an outcome, then pay (or cancel). */
export async function payAtGateway(page: Page, outcome: "00" | "24", bank = "Ngân hàng NCB") {
  await expect(page.getByRole("heading", { name: /Thanh toán trực tuyến/ })).toBeVisible();
  await page.getByLabel(bank, { exact: true }).check();
  if (outcome === "24") {
    await page.getByRole("button", { name: "Hủy giao dịch" }).click();
    return;
  }
  await page.getByLabel("Thành công (mã 00)").check();
  await page.getByLabel("Gửi ngay").check();
  await page.getByRole("button", { name: "Thanh toán", exact: true }).click();
}
