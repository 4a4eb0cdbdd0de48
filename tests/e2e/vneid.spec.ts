import { expect, test } from "@playwright/test";
import { signInCandidates } from "../../app/simulators/vneid/population";
import { expectAccessible } from "./support";

/**
 * "Sign in with VNeID" as a citizen does it, with JavaScript and without: /login → the simulated
 * VNeID (pick a resident of the simulated population and a level) → back on the portal, signed in
 * under the resident's name; then sign-out goes on to VNeID's own sign-out and back home.
 */
for (const javaScriptEnabled of [true, false]) {
  test.describe(`JavaScript ${javaScriptEnabled ? "on" : "off"}`, () => {
    test.use({ javaScriptEnabled });

    test("a citizen signs in with VNeID and lands signed in with their name", async ({ page }) => {
      // A different resident for each run, so each makes a new account.
      const resident = signInCandidates()[javaScriptEnabled ? 11 : 12];
      if (!resident) throw new Error("no resident");
      await page.goto("/login");
      await expectAccessible(page, javaScriptEnabled);
      await page.getByRole("link", { name: "Đăng nhập bằng VNeID" }).click();

      await expect(page.getByRole("heading", { level: 1, name: "Đăng nhập bằng tài khoản định danh điện tử" })).toBeVisible();
      expect(new URL(page.url()).pathname).toMatch(/^\/vneid-sim\/interaction\/[\w-]+$/);
      await expectAccessible(page, javaScriptEnabled);
      // Nothing chosen: the error summary links to the field.
      await page.getByRole("button", { name: "Đăng nhập", exact: true }).click();
      await expect(page.getByRole("alert")).toContainText("Chọn người đăng nhập");
      await expectAccessible(page, javaScriptEnabled);

      await page.getByLabel("Người đăng nhập").selectOption(resident.cccd);
      await page.getByLabel("Mức 2 — đã xác thực trực tiếp tại cơ quan Công an").check();
      await page.getByRole("button", { name: "Đăng nhập", exact: true }).click();

      await page.waitForURL((url) => url.pathname === "/");
      await expect(page.getByRole("button", { name: new RegExp(resident.fullName) })).toBeVisible();

      // Signing out of the portal goes on to VNeID's own page, which returns home.
      await page.getByRole("button", { name: new RegExp(resident.fullName) }).click();
      await expect(page.getByRole("heading", { level: 1 })).toContainText("Đăng xuất khỏi VNeID?");
      await expectAccessible(page, javaScriptEnabled);
      await page.getByRole("button", { name: /Đăng xuất khỏi VNeID/ }).click();
      await page.waitForURL((url) => url.pathname === "/");
      await expect(page.getByRole("link", { name: "Đăng nhập", exact: true })).toBeVisible();
    });
  });
}
