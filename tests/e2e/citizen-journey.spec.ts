import { expect, test, type Page } from "@playwright/test";
import { expectAccessible, fieldLabel, fieldLocator, fillForm, registerCitizen, seededForm } from "./support";

const CODE = "1.001193";
const definition = seededForm(CODE);

/**
 * The citizen's whole journey, as a person does it: search without diacritics,
 * open the procedure, sign up, fill the form with a mistake, fix it, check the
 * answers, submit, read the receipt, and track the dossier with its code.
 * Run once with JavaScript and once without; axe checks every page on the way.
 */
async function journey(page: Page, withJs: boolean) {
  // Eleven pages, each checked by axe: longer than the default 30 s on two cores.
  test.setTimeout(120_000);
  await page.goto("/");
  await expect(page.locator("html")).toHaveAttribute("lang", "vi");
  await expectAccessible(page, withJs);
  await page.getByRole("searchbox", { name: "Tìm thủ tục" }).fill("dang ky khai sinh");
  await page.getByRole("button", { name: "Tìm kiếm" }).click();
  await expect(page).toHaveURL(/\/procedures\?q=dang\+ky\+khai\+sinh/);
  await expectAccessible(page, withJs);
  await page.getByRole("link", { name: "Đăng ký khai sinh", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Đăng ký khai sinh" })).toBeVisible();
  await expectAccessible(page, withJs);
  await page.getByRole("link", { name: "Nộp hồ sơ trực tuyến" }).click();

  await expect(page.getByRole("heading", { level: 1, name: "Đăng nhập" })).toBeVisible();
  await expectAccessible(page, withJs);
  await registerCitizen(page);
  await expect(page.getByRole("heading", { name: "Điền tờ khai trực tuyến" })).toBeVisible();
  await expectAccessible(page, withJs);

  // A mistake: a CCCD with a province code that does not exist (the father's is another, valid one).
  await fillForm(page, definition, { applicant_cccd: "003099012345", father_cccd: "001088012345" });
  await page.getByRole("button", { name: "Tiếp tục" }).click();
  const summary = page.getByRole("alert");
  await expect(summary.getByRole("heading", { name: "Có lỗi cần sửa" })).toBeVisible();
  const cccdLabel = fieldLabel(definition, "applicant_cccd");
  await expect(summary.getByRole("link")).toHaveText([`${cccdLabel}: Số CCCD gồm 12 chữ số, bắt đầu bằng mã tỉnh hợp lệ`]);
  await expectAccessible(page, withJs);
  await summary.getByRole("link").click();
  if (withJs) await expect(fieldLocator(page, definition, "applicant_cccd")).toBeFocused();
  else await expect(page).toHaveURL(/#f-applicant_cccd$/);
  // Nothing typed is lost after the error.
  await expect(fieldLocator(page, definition, "applicant_phone")).toHaveValue("0912345678");
  await fieldLocator(page, definition, "applicant_cccd").fill("001099012345");
  if (!withJs) {
    // Without JavaScript the file inputs come back empty; the files already uploaded are listed instead.
    await expect(page.getByText(/Đã tải lên:/).first()).toBeVisible();
  }
  await page.getByRole("button", { name: "Tiếp tục" }).click();

  await expect(page.getByRole("heading", { name: "Kiểm tra thông tin trước khi nộp" })).toBeVisible();
  await expect(page.getByText("001099012345")).toBeVisible();
  await expectAccessible(page, withJs);
  await page.getByRole("button", { name: "Nộp hồ sơ" }).click();

  await expect(page.getByRole("heading", { name: "Đã nộp hồ sơ" })).toBeVisible();
  const code = (await page.locator(".panel__code").textContent())?.trim() ?? "";
  expect(code).toMatch(/^\d{6}-[0-9A-Z]{6}-.$/);
  await expect(page.getByRole("img", { name: `Mã QR để tra cứu hồ sơ ${code}` })).toBeVisible();
  await expect(page.getByText("Mới nộp, chờ tiếp nhận")).toBeVisible();
  await expectAccessible(page, withJs);
  // On a 360 px phone the code stays in one piece: an inline box broken across lines has several rectangles.
  await page.setViewportSize({ width: 360, height: 740 });
  await expect(page.locator(".receipt-code").first()).toHaveText(code);
  const pieces = await page.locator(".receipt-code").evaluateAll((els) => els.map((el) => el.getClientRects().length));
  expect(pieces.length).toBeGreaterThan(0);
  expect(pieces).toEqual(pieces.map(() => 1)); // every receipt code on the page, each in one piece

  await page.getByRole("link", { name: "Tra cứu tình trạng hồ sơ" }).last().click();
  await expect(page.getByLabel("Mã hồ sơ")).toHaveValue(code);
  await page.getByLabel("Số điện thoại hoặc 4 số cuối CCCD").fill("2345");
  await page.getByRole("button", { name: "Tra cứu" }).click();
  await expect(page.getByRole("heading", { name: `Hồ sơ ${code}` })).toBeVisible();
  await expect(page.getByRole("definition").filter({ hasText: "Mới nộp, chờ tiếp nhận" })).toBeVisible();
  await expectAccessible(page, withJs);
}

test("a citizen applies online and tracks the dossier (JavaScript on)", async ({ page }) => {
  await journey(page, true);
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });
  test("a citizen applies online and tracks the dossier (JavaScript off)", async ({ page }) => {
    await journey(page, false);
  });
});

test("a wrong tracking pair reveals nothing", async ({ page }) => {
  await page.goto("/track");
  await page.getByLabel("Mã hồ sơ").fill("261122-ABCDEF-0");
  await page.getByLabel("Số điện thoại hoặc 4 số cuối CCCD").fill("1234");
  await page.getByRole("button", { name: "Tra cứu" }).click();
  await expect(page.getByRole("alert")).toBeVisible();
  await expect(page.getByRole("heading", { name: /^Hồ sơ / })).toHaveCount(0);
});

test("the language switch shows English and is remembered", async ({ page }) => {
  await page.goto("/procedures/1.001193");
  await page.getByRole("button", { name: "English" }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(page.getByRole("link", { name: "Apply online" })).toBeVisible();
  await page.goto("/procedures");
  await expect(page.getByRole("heading", { level: 1, name: "Administrative procedures" })).toBeVisible();
  await expectAccessible(page);
});

test("a strings script slower than the page's own scripts: the page is hydrated with its texts, not their keys", async ({ page }) => {
  // The strings script is deferred, Remix's hydration script an async module: on a slow line (or a
  // busy server) the module can be ready first. Hydration must wait for the strings.
  await page.route(/\/strings\//, async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    await route.continue();
  });
  await page.goto("/procedures");
  const hydrated = () => page.evaluate(() => Object.keys(document).some((key) => key.startsWith("__reactContainer")));
  await expect.poll(hydrated, { timeout: 15_000 }).toBe(true);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Thủ tục hành chính");
  await expect(page.getByRole("link", { name: "Bỏ qua, đến nội dung chính" })).toBeAttached();
  await expect(page.getByText("layout.skip_to_content")).toHaveCount(0);
});

test("a page reached by a link brings its own strings first: its texts, never their keys (decision 019)", async ({ page }) => {
  const scripts: string[] = [];
  page.on("request", (request) => {
    if (new URL(request.url()).pathname.startsWith("/strings/")) scripts.push(new URL(request.url()).pathname);
  });
  await page.goto("/track");
  const hydrated = () => page.evaluate(() => Object.keys(document).some((key) => key.startsWith("__reactContainer")));
  await expect.poll(hydrated, { timeout: 15_000 }).toBe(true);
  // The tracking page's script carries its groups, not the catalog's or a procedure page's.
  expect(scripts).toEqual([
    expect.stringMatching(/^\/strings\/vi-citizen-[0-9a-f]{12}-apology\.form\.representation\.shipment\.status\.supplement\.track\.js$/),
  ]);
  expect(await page.evaluate(() => Object.keys(window.__portalStrings ?? {}).sort())).not.toContain("procedure");
  // Slow strings: the next page waits for them rather than showing keys.
  await page.route(/\/strings\//, async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await route.continue();
  });
  await page
    .getByRole("navigation", { name: /Điều hướng chính|chính/ })
    .getByRole("link", { name: "Thủ tục hành chính" })
    .click();
  await expect(page.getByRole("heading", { level: 1, name: "Thủ tục hành chính" })).toBeVisible();
  await page
    .getByRole("link", { name: /Đăng ký khai sinh/ })
    .first()
    .click();
  await expect(page.getByRole("heading", { level: 1, name: /Đăng ký khai sinh/ })).toBeVisible();
  // Reached by links, not by loading documents: the same window, with the groups added to it.
  expect(await page.evaluate(() => Object.keys(window.__portalStrings ?? {}))).toEqual(expect.arrayContaining(["track", "catalog", "procedure"]));
  expect(scripts.length).toBe(3);
  await expect(page.locator("main")).not.toContainText(/\b(procedure|catalog|levels|one_stop|delivery)\.[a-z_]+/);
});
