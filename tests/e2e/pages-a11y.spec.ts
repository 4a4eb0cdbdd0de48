import { devices, expect, test, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { readdirSync, readFileSync } from "node:fs";
import {
  expectAccessible,
  fieldLocator,
  fillForm,
  fillResultFields,
  officerAct,
  officerConfirms,
  payAtGateway,
  registerCitizen,
  seededForm,
  seededResultFields,
  signIn,
} from "./support";

/**
 * axe (WCAG 2.1 A/AA) on every page of the portal, each opened twice: in a browser with
 * JavaScript and in one without (same account, same cookies). Pages that only exist after
 * something happened (a submitted dossier, a payment, a supplement request, a parcel) are
 * reached through the UI. The last test checks that every page route in app/routes is listed
 * here, so a new page cannot go unchecked.
 */

// Đăng ký khai sinh: level 4, free, handled by Hoàn Kiếm ward; by post, the postage is paid online.
const BIRTH = "1.001193";
const OFFICER = { email: "can.bo.hoankiem@example.vn", password: "CanBo@2026" };
const ADMIN = { email: "quan.tri@example.vn", password: "QuanTri@2026" };
// Household business registration, Kinh Bắc ward (Bắc Ninh): its form's draft is opened in the form builder here and nowhere else.
const BUILDER = "1.001612";

/** Route files with a page (default export), by the test below that opens them. */
const COVERED: Record<string, string> = {
  "_index.tsx": "public",
  "procedures._index.tsx": "public",
  "procedures.$code.tsx": "public",
  "login.tsx": "public",
  "vneid-sim.interaction.$uid.tsx": "public (the VNeID simulator's sign-in page, with its errors)",
  "auth.vneid_.callback.tsx": "public (a VNeID answer refused)",
  "login_.two-factor.tsx":
    "the second step of staff sign-in (enrolment or a code, and an error); tests/e2e/two-factor.spec.ts checks each state, the recovery codes too",
  "register.tsx": "public",
  "account.confirm.tsx": "public",
  "account._index.tsx": "citizen",
  "account.documents.tsx": "citizen",
  "account.businesses.tsx": "citizen",
  "track.tsx": "public + citizen",
  "verify.tsx": "public",
  "procedures.$code_.apply.tsx": "citizen",
  "procedures.$code_.apply_.check.tsx": "citizen",
  "procedures.$code_.apply_.for.tsx": "citizen",
  "procedures.$code_.apply_.exit.$exit.tsx": "citizen",
  "applications._index.tsx": "citizen",
  "applications.$receiptCode.tsx": "citizen",
  "applications.$receiptCode_.supplement.tsx": "citizen",
  "gateway.vnpay.pay.tsx": "citizen",
  "payments.return.tsx": "citizen",
  "post-sim.$trackingNumber.tsx": "citizen",
  "officer._index.tsx": "citizen (officer side) + intake",
  "officer.dossiers.$receiptCode.tsx": "citizen (officer side) + intake",
  "officer.dossiers.$receiptCode_.$move.tsx": "citizen (officer side): the issue-result and refuse pages, with errors",
  "officer.intake._index.tsx": "intake",
  "officer.intake.form.tsx": "intake",
  "admin.tsx": "admin (layout of every admin page)",
  "admin.$.tsx": "admin (an address not found inside the area)",
  "officer.tsx": "intake (the officers' area, around every officer page)",
  "officer.$.tsx": "intake (an address not found inside the area)",
  "admin._index.tsx": "admin",
  "admin.users.tsx": "admin",
  "admin.procedures._index.tsx": "admin",
  "admin.procedures.$code.tsx": "admin",
  "admin.audit.tsx": "admin",
  "admin.outbox.tsx": "admin",
  "admin.payments.tsx": "admin",
  "admin.statistics.tsx": "admin",
  "admin.statistics_.reported.tsx": "admin",
  "admin.statistics_.reported_.$importId.tsx": "admin (a kept import)",
  "admin.tokens.tsx": "admin",
  "admin.forms._index.tsx": "admin",
  "admin.forms.$code.tsx": "admin (the form builder: before a draft, the whole form, a field, a section, an exit, the discard confirmation, a refused edit)",
  "admin.forms.$code_.preview.tsx": "admin (the form builder's preview)",
  "admin.forms.$code_.preview_.no-script.tsx": "admin (the form builder's preview, sent without scripts)",
};

/** A page with JavaScript and one without, in the project's mobile device, sharing the session. */
type Pair = { js: Page; nojs: Page };

async function newContext(browser: Browser, baseURL: string | undefined, javaScriptEnabled: boolean, from?: BrowserContext): Promise<BrowserContext> {
  const storageState = from ? await from.storageState() : undefined;
  return browser.newContext({ ...devices["Pixel 5"], baseURL, locale: "vi-VN", timezoneId: "Asia/Ho_Chi_Minh", javaScriptEnabled, storageState });
}

async function pairFrom(browser: Browser, baseURL: string | undefined, js: Page): Promise<Pair> {
  const nojs = await (await newContext(browser, baseURL, false, js.context())).newPage();
  return { js, nojs };
}

async function newPair(browser: Browser, baseURL: string | undefined): Promise<Pair> {
  return pairFrom(browser, baseURL, await (await newContext(browser, baseURL, true)).newPage());
}

async function closePair(pair: Pair) {
  await pair.nojs.context().close();
  await pair.js.context().close();
}

/** The page as it stands, checked by axe; `javaScript` false checks the HTML without scripts. */
async function checkHere(page: Page, javaScript: boolean) {
  await expect(page.getByRole("heading", { level: 1 }).first()).toBeVisible();
  await expectAccessible(page, javaScript);
}

/** Opens `path` in both pages and checks each. */
async function visit(pair: Pair, path: string) {
  for (const [page, javaScript] of [
    [pair.js, true],
    [pair.nojs, false],
  ] as const) {
    await page.goto(path);
    await checkHere(page, javaScript);
  }
}

/** Runs the same steps in both pages (e.g. a post that shows errors), then checks each. */
async function both(pair: Pair, steps: (page: Page) => Promise<void>) {
  for (const [page, javaScript] of [
    [pair.js, true],
    [pair.nojs, false],
  ] as const) {
    await steps(page);
    await checkHere(page, javaScript);
  }
}

test.describe.configure({ timeout: 600_000 });

test("public pages", async ({ browser, baseURL }) => {
  const pair = await newPair(browser, baseURL);
  await visit(pair, "/");
  await visit(pair, "/procedures");
  await visit(pair, "/procedures?q=dang+ky+khai+sinh");
  await visit(pair, "/procedures?q=khong+co+thu+tuc+nao+nhu+vay");
  await visit(pair, `/procedures/${BIRTH}`);
  await visit(pair, "/procedures/9.999999"); // not found: the error page
  await visit(pair, "/login");
  await both(pair, async (page) => {
    await page.goto("/login");
    await page.getByLabel("Thư điện tử").fill("khong.co@example.vn");
    await page.getByLabel("Mật khẩu").fill("sai-mat-khau");
    await page.getByRole("button", { name: "Đăng nhập" }).click();
    await expect(page.getByRole("alert")).toBeVisible();
  });
  // The VNeID simulator's sign-in page (reached through the portal's link), then with its error summary.
  await visit(pair, "/auth/vneid");
  await both(pair, async (page) => {
    await page.goto("/auth/vneid");
    await page.getByRole("button", { name: "Đăng nhập", exact: true }).click();
    await expect(page.getByRole("alert")).toBeVisible();
  });
  await visit(pair, "/vneid-sim/interaction/khong-con-hieu-luc-0123"); // an expired sign-in request
  await visit(pair, "/auth/vneid/callback?code=x&state=y"); // an answer no sign-in here waits for
  await visit(pair, "/register");
  await both(pair, async (page) => {
    await page.goto("/register");
    await page.getByRole("button", { name: "Tạo tài khoản" }).click();
    await expect(page.getByRole("alert")).toBeVisible();
  });
  await visit(pair, `/account/confirm?token=${"x".repeat(43)}`); // a link that confirms nothing: its page with the button
  await visit(pair, "/track");
  await both(pair, async (page) => {
    await page.goto("/track");
    await page.getByRole("button", { name: "Tra cứu" }).click();
    await expect(page.getByRole("alert")).toBeVisible();
  });
  await visit(pair, "/verify");
  await visit(pair, "/verify?code=KHONGCOMA");
  await closePair(pair);
});

test("citizen pages, and the officer's as the dossier moves: form, check, receipt, payment, supplement, parcel", async ({ page, browser, baseURL }) => {
  const definition = seededForm(BIRTH);
  await page.goto(`/procedures/${BIRTH}/apply`);
  await registerCitizen(page);
  await expect(page.getByRole("heading", { name: "Điền tờ khai trực tuyến" })).toBeVisible();
  const citizen = await pairFrom(browser, baseURL, page);

  await visit(citizen, "/account");
  // An answer that means "not online" (the permanent-residence registration's home on a vessel).
  await visit(citizen, "/procedures/1.004222/apply/exit/cho-o-khac");
  await visit(citizen, `/procedures/${BIRTH}/apply`);
  // The form with errors: found by the browser (JavaScript) or by the server (without).
  await both(citizen, async (p) => {
    await p.goto(`/procedures/${BIRTH}/apply`);
    await fieldLocator(p, definition, "applicant_cccd").fill("003099012345");
    await p.getByRole("button", { name: "Tiếp tục" }).click();
    await expect(p.getByRole("alert")).toBeVisible();
  });
  await page.goto(`/procedures/${BIRTH}/apply`);
  await fillForm(page, definition);
  await page.getByRole("button", { name: "Tiếp tục" }).click();
  await expect(page.getByRole("heading", { name: "Kiểm tra thông tin trước khi nộp" })).toBeVisible();
  await visit(citizen, `/procedures/${BIRTH}/apply/check`);
  await page.getByLabel("Nhận qua dịch vụ bưu chính công ích", { exact: true }).check();
  await page.getByRole("button", { name: "Nộp hồ sơ" }).click();
  await expect(page.getByRole("heading", { name: "Đã nộp hồ sơ" })).toBeVisible();
  const code = (await page.locator(".panel__code").textContent())?.trim() ?? "";
  expect(code).toMatch(/^\d{6}-[0-9A-Z]{6}-.$/);
  await visit(citizen, `/applications/${code}`);
  await visit(citizen, "/applications");
  await both(citizen, async (p) => {
    await p.goto(`/track?code=${code}`);
    await p.getByLabel("Số điện thoại hoặc 4 số cuối CCCD").fill("0912345678");
    await p.getByRole("button", { name: "Tra cứu" }).click();
    await expect(p.getByRole("heading", { name: `Hồ sơ ${code}` })).toBeVisible();
  });

  // The postage, paid online: cancelled at the gateway without JavaScript, paid with it.
  await citizen.nojs.goto(`/applications/${code}`);
  await citizen.nojs.getByRole("button", { name: /Thanh toán trực tuyến 25\.000/ }).click();
  await checkHere(citizen.nojs, false);
  await payAtGateway(citizen.nojs, "24");
  await checkHere(citizen.nojs, false);
  await page.goto(`/applications/${code}`);
  await page.getByRole("button", { name: /Thanh toán trực tuyến 25\.000/ }).click();
  await checkHere(page, true);
  await payAtGateway(page, "00");
  await expect(page.getByRole("heading", { name: "Thanh toán thành công" })).toBeVisible();
  await checkHere(page, true);

  // The officer's queue and dossier page; then a supplement request on one field.
  const officerPage = await (await newContext(browser, baseURL, true)).newPage();
  await signIn(officerPage, OFFICER.email, OFFICER.password);
  const officer = await pairFrom(browser, baseURL, officerPage);
  await visit(officer, "/officer");
  await visit(officer, `/officer?q=${code}&status=all`);
  await visit(officer, `/officer/dossiers/${code}`);
  // The refusal's confirmation page, and the same page with its error (no reason given): nothing is refused.
  await visit(officer, `/officer/dossiers/${code}/refuse`);
  await both(officer, async (p) => {
    await p.goto(`/officer/dossiers/${code}/refuse`);
    await p.getByRole("button", { name: "Từ chối tiếp nhận hồ sơ" }).click();
    await expect(p.getByRole("alert")).toBeVisible();
  });
  await officerPage.goto(`/officer/dossiers/${code}`);
  await officerAct(officerPage, "Tiếp nhận hồ sơ");
  const request = officerPage.locator("form", { has: officerPage.getByRole("button", { name: "Yêu cầu bổ sung", exact: true }) });
  await request.getByRole("group", { name: "Thông tin người nộp" }).getByLabel("Số điện thoại", { exact: true }).check();
  await request.getByLabel("Lời nhắn cho công dân (nêu rõ cần sửa gì)").fill("Xin ghi lại số điện thoại đúng.");
  await officerAct(officerPage, "Yêu cầu bổ sung");
  await visit(officer, `/officer/dossiers/${code}`);

  await visit(citizen, `/applications/${code}`);
  // The data store lists the files sent, and a new application offers them on its file fields.
  await visit(citizen, "/account/documents");
  // Acting for others: the businesses they own or belong to, and the for-whom step (no VNeID: it says why no child is offered).
  await visit(citizen, "/account/businesses");
  await visit(citizen, `/procedures/${BIRTH}/apply/for`);
  await visit(citizen, `/procedures/${BIRTH}/apply`);
  await visit(citizen, `/applications/${code}/supplement`);
  await both(citizen, async (p) => {
    await p.goto(`/applications/${code}/supplement`);
    await p.getByLabel("Số điện thoại", { exact: true }).fill("12");
    await p.getByRole("button", { name: "Gửi bổ sung" }).click();
    await expect(p.getByRole("alert")).toBeVisible();
  });
  await page.goto(`/applications/${code}/supplement`);
  await page.getByLabel("Số điện thoại", { exact: true }).fill("0987654321");
  await page.getByRole("button", { name: "Gửi bổ sung" }).click();
  await expect(page.getByText("Đã gửi bổ sung. Cơ quan tiếp tục giải quyết hồ sơ.")).toBeVisible();

  // The result goes by post: issued on its confirmation page (first sent empty: every error at once),
  // then the parcel's page at the postal simulator.
  await visit(officer, `/officer/dossiers/${code}/issue-result`);
  await both(officer, async (p) => {
    await p.goto(`/officer/dossiers/${code}/issue-result`);
    await p.getByRole("button", { name: "Ký và trả kết quả" }).click();
    await expect(p.getByRole("alert")).toBeVisible();
  });
  await officerPage.goto(`/officer/dossiers/${code}`);
  await officerConfirms(officerPage, "Trả kết quả (có kết quả)", "Ký và trả kết quả", (p) => fillResultFields(p, seededResultFields(BIRTH)));
  await page.goto(`/applications/${code}`);
  const parcel = page.getByText(/^Số hiệu bưu gửi/).locator("strong");
  await expect(parcel).toBeVisible();
  const tracking = (await parcel.textContent())?.trim() ?? "";
  expect(tracking).toMatch(/^EB\d{9}VN$/);
  await visit(citizen, `/applications/${code}`);
  await visit(officer, `/post-sim/${tracking}`);
  await closePair(officer);
  await citizen.nojs.context().close();
});

test("the second step of staff sign-in", async ({ browser, baseURL }) => {
  // After the password only: the page asks the officer to enrol (first sign-in) or for a code.
  const page = await (await newContext(browser, baseURL, true)).newPage();
  await page.goto("/login");
  await page.getByLabel("Thư điện tử").fill("can.bo.kinhbac@example.vn");
  await page.getByLabel("Mật khẩu").fill("CanBo@2026");
  await page.getByRole("button", { name: "Đăng nhập" }).click();
  await expect(page).toHaveURL(/\/login\/two-factor\?redirectTo=/);
  const pair = await pairFrom(browser, baseURL, page);
  await visit(pair, "/login/two-factor?redirectTo=%2Fofficer");
  await both(pair, async (p) => {
    await p.goto("/login/two-factor?redirectTo=%2Fofficer");
    await p.getByRole("button", { name: "Xác nhận", exact: true }).click();
    await expect(p.getByRole("alert")).toBeVisible();
  });
  await closePair(pair);
});

test("officer intake pages", async ({ browser, baseURL }) => {
  const officerPage = await (await newContext(browser, baseURL, true)).newPage();
  await signIn(officerPage, OFFICER.email, OFFICER.password);
  const officer = await pairFrom(browser, baseURL, officerPage);
  await visit(officer, "/officer/intake");
  await visit(officer, "/officer/khong-co-trang-nay"); // not found, inside the area
  await officerPage.goto("/officer/intake");
  await officerPage.getByLabel("Trực tiếp tại bộ phận một cửa (hồ sơ giấy)").check();
  await officerPage.getByLabel("Thủ tục").selectOption(BIRTH);
  await officerPage.getByRole("button", { name: "Tiếp tục" }).click();
  await expect(officerPage.getByRole("heading", { name: "Tiếp nhận hồ sơ trực tiếp" })).toBeVisible();
  const formPath = new URL(officerPage.url()).pathname + new URL(officerPage.url()).search;
  await visit(officer, formPath);
  // Sent empty: every error shown at once.
  await both(officer, async (p) => {
    await p.goto(formPath);
    await p.getByRole("button", { name: "Tiếp nhận hồ sơ", exact: true }).click();
    await expect(p.getByRole("alert")).toBeVisible();
  });
  await closePair(officer);
});

test("administration pages", async ({ browser, baseURL }) => {
  const adminPage = await (await newContext(browser, baseURL, true)).newPage();
  await signIn(adminPage, ADMIN.email, ADMIN.password);
  const admin = await pairFrom(browser, baseURL, adminPage);
  for (const path of [
    "/admin",
    "/admin/users",
    "/admin/procedures",
    `/admin/procedures/${BIRTH}`,
    "/admin/audit",
    "/admin/outbox",
    "/admin/payments",
    "/admin/statistics",
    "/admin/statistics/reported",
    "/admin/tokens",
  ]) {
    await visit(admin, path);
  }
  // A kept import of reported figures, at its own address.
  await adminPage.goto("/admin/statistics/reported");
  await adminPage.getByRole("button", { name: "Dùng phụ lục năm 2019 có sẵn" }).click();
  await adminPage.waitForURL(/\/admin\/statistics\/reported\/\d+$/);
  await visit(admin, new URL(adminPage.url()).pathname);
  await visit(admin, "/admin/statistics/reported"); // now with the list of past imports
  await visit(admin, "/admin/statistics?grouped=all&rankings=all");
  await visit(admin, "/admin/khong-co-trang-nay"); // not found, inside the area
  // The form builder: a procedure's form before a draft, then its draft's views and the preview.
  await visit(admin, "/admin/forms");
  await visit(admin, `/admin/forms/${BUILDER}`);
  await adminPage.goto(`/admin/forms/${BUILDER}`);
  await adminPage.getByRole("button", { name: "Bắt đầu soạn bản nháp" }).click();
  await expect(adminPage.getByRole("heading", { name: "Xuất bản" })).toBeVisible();
  await adminPage.getByRole("button", { name: "Thêm trường hợp" }).click();
  await expect(adminPage.getByLabel("Mã trường hợp")).toBeVisible();
  for (const view of ["", "?field=0.0", "?section=0", "?exit=0", "?confirm=discard", "/preview", "/preview/no-script"])
    await visit(admin, `/admin/forms/${BUILDER}${view}`);
  // A refused edit: the error summary and the field's message.
  await both(admin, async (p) => {
    await p.goto(`/admin/forms/${BUILDER}?field=0.0`);
    await p.getByLabel("Tên kỹ thuật").fill("Tên Sai");
    await p.getByRole("button", { name: "Lưu trường" }).click();
    await expect(p.getByRole("alert")).toBeVisible();
  });
  await closePair(admin);
});

test("every page route is opened above", () => {
  const pages = readdirSync("app/routes").filter((f) => /\.tsx$/.test(f) && /^export default/m.test(readFileSync(`app/routes/${f}`, "utf8")));
  expect(pages.length).toBeGreaterThan(20);
  expect(pages.filter((f) => !(f in COVERED))).toEqual([]);
  expect(Object.keys(COVERED).filter((f) => !pages.includes(f))).toEqual([]);
});
