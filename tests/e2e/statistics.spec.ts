import { expect, test, type Browser, type Locator, type Page } from "@playwright/test";
import { expectAccessible, signIn } from "./support";

// Đăng ký khai sinh (level 4, Hoàn Kiếm ward): its page view is the activity the dashboard counts.
const BIRTH = "1.001193";
const ADMIN = { email: "quan.tri@example.vn", password: "QuanTri@2026" };
const OFFICER = { email: "can.bo.hoankiem@example.vn", password: "CanBo@2026" };

test.describe.configure({ timeout: 90_000 });

/** A visitor, in a browser of their own, reads a procedure page: one "viewed" event today. */
async function visitProcedure(browser: Browser, baseURL: string | undefined) {
  const context = await browser.newContext({ baseURL, javaScriptEnabled: true });
  const visitor = await context.newPage();
  await visitor.goto(`/procedures/${BIRTH}`);
  await expect(visitor.getByRole("heading", { level: 1 })).toBeVisible();
  await context.close();
}

/** A KPI tile, found by its heading. */
const tile = (page: Page, label: string): Locator => page.getByRole("listitem").filter({ has: page.getByRole("heading", { name: label, exact: true }) });

/** The count shown on a tile, read the Vietnamese way (1.234 is one thousand two hundred and thirty-four). */
async function tileCount(page: Page, label: string): Promise<number> {
  const text = (await tile(page, label).getByRole("paragraph").first().textContent()) ?? "";
  const match = /^([\d.]+)/.exec(text.trim());
  if (!match?.[1]) throw new Error(`no count on the tile "${label}": "${text}"`);
  return Number(match[1].replace(/\./g, ""));
}

test("an administrator reads the dashboard, changes the period and the grouping, and sees the figures change", async ({ page, browser, baseURL }) => {
  await signIn(page, ADMIN.email, ADMIN.password);
  await page.goto("/admin/statistics");
  await expect(page.getByRole("heading", { level: 1, name: "Thống kê sử dụng dịch vụ công" })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Chọn nhanh kỳ thống kê" }).getByRole("link", { name: "30 ngày qua" })).toHaveAttribute(
    "aria-current",
    "true",
  );

  // Activity made here and now shows in today's figures.
  await page.getByRole("link", { name: "7 ngày qua" }).click();
  const before = await tileCount(page, "Lượt truy cập trang thủ tục");
  await visitProcedure(browser, baseURL);
  await page.reload();
  const after = await tileCount(page, "Lượt truy cập trang thủ tục");
  expect(after).toBeGreaterThan(before);
  // The funnel's first step is the same count, from the same answer.
  const funnel = page.getByRole("table", { name: "Hành trình của công dân trên cổng: số lượng và tỷ lệ từng bước" });
  const viewed = await funnel
    .getByRole("row", { name: /^Xem trang thủ tục/ })
    .getByRole("cell")
    .first()
    .textContent();
  expect(Number((viewed ?? "").replace(/\./g, ""))).toBe(after);

  // A period long ago: no visits, and every rate is "—" with its 0 / 0.
  await page.getByLabel("Từ ngày").fill("01/01/2025");
  await page.getByLabel("Đến ngày").fill("31/01/2025");
  await page.getByRole("button", { name: "Xem thống kê" }).click();
  await page.waitForURL(/from=2025-01-01/);
  await expect(page.getByRole("status").filter({ hasText: "Kỳ thống kê" })).toHaveText("Kỳ thống kê: từ 01/01/2025 đến 31/01/2025.");
  expect(await tileCount(page, "Lượt truy cập trang thủ tục")).toBe(0);
  await expect(tile(page, "Tỷ lệ hồ sơ trực tuyến")).toContainText("—");
  await expect(tile(page, "Tỷ lệ hồ sơ trực tuyến")).toContainText("0 / 0");
  // The catalog does not depend on the period; the level-4 share says whether it meets the target.
  await expect(tile(page, "Tỷ lệ dịch vụ công trực tuyến mức độ 4")).toContainText(/(Đạt|Chưa đạt) chỉ tiêu 30\u00a0%/);

  // Group by level: the table switches to one row per level.
  await page.getByLabel("Thống kê theo").selectOption({ label: "Mức độ" });
  await page.getByRole("button", { name: "Xem thống kê" }).click();
  // The router commits the new address with the new figures; a busy machine may take a while.
  await page.waitForURL(/groupBy=level/);
  const byLevel = page.getByRole("table", { name: "Các chỉ số chính theo mức độ" });
  await expect(byLevel).toBeVisible();
  for (const level of [1, 2, 3, 4]) await expect(byLevel.getByRole("rowheader", { name: `Mức độ ${level}`, exact: true })).toBeVisible();

  // Charts are images that say what they show, each with its figures in a table. (This year's
  // interval follows its length so far: by day in January, by month from July.)
  await page.getByRole("link", { name: "Năm nay" }).click();
  await page.waitForURL(/from=\d{4}-01-01&.*groupBy=level/);
  await expect(page.getByRole("img", { name: /^Biểu đồ đường theo (ngày|tuần|tháng) từ 01\/01\/\d{4}/ })).toBeVisible();
  await expect(page.getByRole("img", { name: /^Biểu đồ thanh ngang hành trình của công dân: \d/ })).toBeVisible();
  await page.getByText("Xem số liệu dạng bảng: Diễn biến theo thời gian").click();
  await expect(page.getByRole("table", { name: /^Số liệu theo (ngày|tuần|tháng)$/ })).toBeVisible();
  await expectAccessible(page);

  // Each table offers its CSV with the same query.
  const csv = page.getByRole("link", { name: "Tải tệp CSV: Các chỉ số chính theo mức độ" });
  await expect(csv).toHaveAttribute(
    "href",
    /^\/admin\/statistics\/export\.csv\?table=grouped&from=\d{4}-01-01&to=\d{4}-\d{2}-\d{2}&groupBy=level&interval=(day|week|month)&target=30$/,
  );
});

test("the dashboard's CSV link downloads the grouped table", async ({ page }) => {
  await signIn(page, ADMIN.email, ADMIN.password);
  await page.goto("/admin/statistics?groupBy=level");
  const downloading = page.waitForEvent("download");
  await page.getByRole("link", { name: "Tải tệp CSV: Các chỉ số chính theo mức độ" }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/\.csv$/);
  const text = await (await import("node:fs/promises")).readFile(await download.path(), "utf8");
  expect(text.charCodeAt(0)).toBe(0xfeff); // UTF-8 with BOM, so Excel shows Vietnamese
  expect(text).toContain("Mức độ 4");
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the filter form, the tables and the charts work, and the page is accessible", async ({ page }) => {
    await signIn(page, ADMIN.email, ADMIN.password);
    await page.goto("/admin/statistics");
    await page.getByLabel("Thống kê theo").selectOption({ label: "Kênh nộp hồ sơ" });
    await page.getByLabel("Chu kỳ").selectOption({ label: "Theo tuần" });
    await page.getByRole("button", { name: "Xem thống kê" }).click();
    const byChannel = page.getByRole("table", { name: "Các chỉ số chính theo kênh nộp hồ sơ" });
    await expect(byChannel.getByRole("rowheader", { name: "Trực tuyến (công dân tự nộp)" })).toBeVisible();
    // The catalog has no channel.
    await expect(byChannel.getByRole("row", { name: /Trực tiếp tại bộ phận một cửa/ })).toContainText("Không áp dụng");
    await expect(page.getByRole("img", { name: /^Biểu đồ đường theo tuần/ })).toBeVisible();
    await expectAccessible(page, false);

    // A bad period: 400, the error summary, the form as it was.
    const response = await page.goto("/admin/statistics?from=2026-06-14&to=2026-06-01&groupBy=level");
    expect(response?.status()).toBe(400);
    await expect(page.getByRole("alert")).toContainText("Ngày kết thúc phải sau hoặc trùng ngày bắt đầu.");
    await expect(page.getByLabel("Thống kê theo")).toHaveValue("level");
    await expect(page.getByLabel("Từ ngày")).toHaveValue("14/06/2026");
    await expectAccessible(page, false);
  });
});

test("an officer is refused", async ({ page }) => {
  await signIn(page, OFFICER.email, OFFICER.password);
  const response = await page.goto("/admin/statistics");
  expect(response?.status()).toBe(403);
  await expect(page.getByRole("heading", { level: 1, name: "Không có quyền truy cập" })).toBeVisible();
});
