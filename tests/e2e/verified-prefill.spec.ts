import { expect, test } from "@playwright/test";
import { signInCandidates } from "../../app/simulators/vneid/population";

/**
 * Verified prefill in the browser, with JavaScript and without: a resident signed in with VNeID at
 * level 2 finds their name read-only and marked on the birth registration form; saving posts it (the
 * read-only box and the one-option choice post themselves), and with JavaScript the browser's check
 * finds nothing wrong with them while it still reports the fields left empty.
 */
for (const javaScriptEnabled of [true, false]) {
  test.describe(`JavaScript ${javaScriptEnabled ? "on" : "off"}`, () => {
    test.use({ javaScriptEnabled });

    test("a level-2 resident's verified answers are read-only, marked, and post", async ({ page }) => {
      // Residents no other spec signs in (a CCCD opens one account).
      const resident = signInCandidates()[javaScriptEnabled ? 21 : 22];
      if (!resident) throw new Error("no resident");
      await page.goto("/login");
      await page.getByRole("link", { name: "Đăng nhập bằng VNeID" }).click();
      await page.getByLabel("Người đăng nhập").selectOption(resident.cccd);
      await page.getByLabel("Mức 2 — đã xác thực trực tiếp tại cơ quan Công an").check();
      await page.getByRole("button", { name: "Đăng nhập", exact: true }).click();
      await page.waitForURL((url) => url.pathname === "/");

      await page.goto("/procedures/1.001193/apply");
      const name = page.locator("#f-applicant_name");
      await expect(name).toHaveValue(resident.fullName);
      await expect(name).toHaveAttribute("readonly", "");
      await expect(page.locator("#f-applicant_cccd")).toHaveValue(resident.cccd);
      await expect(page.locator("#f-applicant_name-prefilled")).toHaveText(/^Đã xác thực: lấy từ Cơ sở dữ liệu quốc gia về dân cư qua VNeID/);
      // Typing into it changes nothing.
      await name.pressSequentially("x");
      await expect(name).toHaveValue(resident.fullName);

      await page.getByRole("button", { name: "Lưu nháp" }).click();
      await expect(page.getByText("Đã lưu bản nháp.")).toBeVisible();
      await expect(page.locator("#f-applicant_name")).toHaveValue(resident.fullName);
      // Filing for herself (no child chosen), the child's fields are hers to fill: nothing chosen for her.
      await expect(page.locator('input[name="child_sex"]:checked')).toHaveCount(0);

      // Continue with the rest empty: the errors name the empty fields, never the verified ones.
      await page.getByRole("button", { name: "Tiếp tục" }).click();
      const summary = page.getByRole("alert");
      await expect(summary).toContainText("Nơi sinh");
      await expect(summary).not.toContainText("Họ, chữ đệm và tên:");
      await expect(summary).toContainText("Giới tính");
      await expect(page.locator("#f-applicant_name")).toHaveValue(resident.fullName);
    });
  });
}
