import { expect, test } from "@playwright/test";
import { signIn } from "./support";

// Issue 13: an error inside /officer or /admin keeps the area: its navigation (admin), and a way back
// into it rather than to the citizens' home page. The statuses themselves are tested on the loaders
// (tests/integration/section-errors.test.ts).

test("an address not found inside the administration area keeps its navigation and leads back to its overview", async ({ page }) => {
  await page.goto("/");
  await signIn(page, "quan.tri@example.vn", "QuanTri@2026");
  const res = await page.goto("/admin/khong-co-trang-nay");
  expect(res?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1, name: "Không tìm thấy trang" })).toBeVisible();
  const area = page.getByRole("navigation", { name: "Khu vực quản trị" });
  await expect(area.getByRole("link", { name: "Tài khoản cán bộ" })).toBeVisible();
  await page.getByRole("link", { name: "Quay lại trang tổng quan quản trị" }).click();
  await expect(page).toHaveURL(/\/admin$/);
});

test("a dossier or an address not found inside the officers' area leads back to the queue", async ({ page }) => {
  await page.goto("/");
  await signIn(page, "can.bo.hoankiem@example.vn", "CanBo@2026");
  for (const address of ["/officer/khong-co-trang-nay", "/officer/dossiers/000000-AAAAAA-0"]) {
    const res = await page.goto(address);
    expect(res?.status(), address).toBe(404);
    await expect(page.getByRole("heading", { level: 1, name: "Không tìm thấy trang" })).toBeVisible();
    await expect(page.getByRole("link", { name: "Về trang chủ" })).toHaveCount(0);
  }
  await page.getByRole("link", { name: "Quay lại danh sách hồ sơ" }).click();
  await expect(page).toHaveURL(/\/officer$/);
});

test("someone not signed in is sent to sign in first, not told what exists", async ({ page }) => {
  await page.goto("/officer/khong-co-trang-nay");
  await expect(page).toHaveURL(/\/login\?redirectTo=/);
});
