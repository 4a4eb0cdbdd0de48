// Staff sign-in's second step in the browser (issue 17, item 7; docs/decisions/033): a new officer enrols
// on first sign-in — QR code and key, a wrong code refused, ten recovery codes once — with JavaScript and
// without; an officer page refuses the half-signed session; the next sign-in takes a code from the app,
// the one after a recovery code. Every page passes axe.
import { devices, expect, test, type Browser, type Page } from "@playwright/test";
import { freshCode } from "../fixtures/second-factor";
import { expectAccessible, signIn } from "./support";

const ADMIN = { email: "quan.tri.hanoi@example.vn", password: "QuanTri@2026" };
const PASSWORD = "mat-khau-can-bo-e2e-2026";

/** A new officer of UBND phường Hoàn Kiếm, made by Hà Nội's administrator on the staff page. */
async function newOfficer(browser: Browser, baseURL: string): Promise<string> {
  const context = await browser.newContext({ ...devices["Pixel 5"], baseURL, locale: "vi-VN", timezoneId: "Asia/Ho_Chi_Minh", javaScriptEnabled: true });
  const admin = await context.newPage();
  await signIn(admin, ADMIN.email, ADMIN.password);
  await admin.goto("/admin/users");
  const email = `can.bo.2fa.${process.pid}.${Date.now()}@example.vn`;
  const form = admin.getByRole("form", { name: "Tạo tài khoản" });
  await form.getByLabel("Họ và tên").fill("Cán bộ Hai Bước");
  await form.getByLabel("Thư điện tử").fill(email);
  await form.getByLabel("Cơ quan").selectOption("ha-noi-phuong-hoan-kiem");
  await form.getByLabel("Vai trò").selectOption("officer");
  await form.getByLabel("Mật khẩu ban đầu").fill(PASSWORD);
  // Submitted from the keyboard: on this phone-sized page a click on the button is reported as landing on <main>.
  await form.getByLabel("Mật khẩu ban đầu").press("Enter");
  await expect(admin.getByRole("status").filter({ hasText: "Đã tạo tài khoản" })).toBeVisible();
  await context.close();
  return email;
}

async function passwordStep(page: Page, email: string) {
  await page.goto("/officer");
  await expect(page).toHaveURL(/\/login\?redirectTo=%2Fofficer$/);
  await page.getByLabel("Thư điện tử").fill(email);
  await page.getByLabel("Mật khẩu").fill(PASSWORD);
  await page.getByRole("button", { name: "Đăng nhập" }).click();
  await expect(page).toHaveURL(/\/login\/two-factor\?redirectTo=%2Fofficer$/);
}

async function signOut(page: Page) {
  await page.getByRole("button", { name: /^Đăng xuất/ }).click();
  await expect(page.getByRole("link", { name: "Đăng nhập" }).first()).toBeVisible();
}

for (const javaScript of [true, false]) {
  test.describe(javaScript ? "with JavaScript" : "without JavaScript", () => {
    test.use({ javaScriptEnabled: javaScript });

    test("a new officer enrols at first sign-in, then signs in with a code from the app, then with a recovery code", async ({ page, browser, baseURL }) => {
      test.slow(); // an administrator makes the account; three sign-ins, each code for a new 30-second step
      const email = await newOfficer(browser, baseURL ?? "");
      await passwordStep(page, email);

      // Half signed in: the workspace sends the officer back to finish the second step.
      await page.goto("/officer");
      await expect(page).toHaveURL(/\/login\/two-factor\?redirectTo=%2Fofficer$/);
      await expect(page.getByRole("heading", { level: 1, name: "Thiết lập xác thực hai bước" })).toBeVisible();
      await expect(page.getByRole("img", { name: `Mã QR để thêm tài khoản ${email} vào ứng dụng xác thực` })).toBeVisible();
      const secret = ((await page.getByLabel("Khóa thiết lập").textContent()) ?? "").replace(/\s/g, "");
      expect(secret).toMatch(/^[A-Z2-7]{32}$/);
      await expectAccessible(page, javaScript);

      // A wrong code: the error summary links to the field.
      await page.getByLabel("Mã xác thực", { exact: true }).fill("12345");
      await page.getByRole("button", { name: "Xác nhận", exact: true }).click();
      const summary = page.getByRole("alert");
      await expect(summary.getByRole("link", { name: "Mã xác thực gồm đúng 6 chữ số" })).toBeVisible();
      await expectAccessible(page, javaScript);

      const enrolled = await freshCode(secret, null);
      await page.getByLabel("Mã xác thực", { exact: true }).fill(enrolled.code);
      await page.getByRole("button", { name: "Xác nhận", exact: true }).click();
      await expect(page.getByRole("heading", { level: 1, name: "Lưu các mã khôi phục" })).toBeVisible();
      const codes = await page.getByRole("list", { name: "Các mã khôi phục" }).getByRole("listitem").allTextContents();
      expect(codes).toHaveLength(10);
      for (const code of codes) expect(code.trim()).toMatch(/^[2-9a-z]{5}-[2-9a-z]{5}$/);
      await expectAccessible(page, javaScript);
      await page.getByRole("link", { name: "Tôi đã lưu các mã, tiếp tục" }).click();
      await expect(page.getByRole("heading", { level: 1, name: "Hồ sơ của cơ quan" })).toBeVisible();

      // The next sign-in asks for a code: the one just used is refused, a new step's code lets the officer in.
      await signOut(page);
      await passwordStep(page, email);
      await expect(page.getByRole("heading", { level: 1, name: "Xác thực hai bước" })).toBeVisible();
      await expectAccessible(page, javaScript);
      await page.getByLabel("Mã xác thực", { exact: true }).fill(enrolled.code);
      await page.getByRole("button", { name: "Xác nhận", exact: true }).click();
      await expect(page.getByRole("alert").getByRole("link", { name: /^Mã này vừa được dùng/ })).toBeVisible();
      const next = await freshCode(secret, enrolled.step);
      await page.getByLabel("Mã xác thực", { exact: true }).fill(next.code);
      await page.getByRole("button", { name: "Xác nhận", exact: true }).click();
      await expect(page.getByRole("heading", { level: 1, name: "Hồ sơ của cơ quan" })).toBeVisible();

      // A recovery code instead of the app, typed in capitals.
      await signOut(page);
      await passwordStep(page, email);
      await page.getByLabel("Mã khôi phục").fill((codes[0] ?? "").trim().toUpperCase());
      await page.getByRole("button", { name: "Dùng mã khôi phục" }).click();
      await expect(page.getByRole("heading", { level: 1, name: "Hồ sơ của cơ quan" })).toBeVisible();
    });
  });
}
