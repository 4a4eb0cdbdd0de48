import { expect, test, type Page } from "@playwright/test";
import { expectAccessible } from "./support";

/**
 * Search that forgives (issue 12), as a citizen types it: an i/y spelling variant, a one-letter
 * typo answered with a "did you mean" link, a query with no plausible correction, and the query
 * in the page's title and heading — on a 360 px phone and a 1366 px desktop, in Vietnamese and
 * English, with JavaScript on and off.
 */

const VIEWPORTS = [
  { name: "360 px", use: { viewport: { width: 360, height: 740 } } },
  { name: "1366 px", use: { viewport: { width: 1366, height: 768 }, isMobile: false, hasTouch: false, deviceScaleFactor: 1 } },
] as const;

async function searchFor(page: Page, label: string, button: string, words: string) {
  await page.getByLabel(label, { exact: true }).fill(words);
  await page.getByRole("button", { name: button, exact: true }).click();
}

async function expectNoHorizontalScroll(page: Page) {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
  expect(scrollWidth, "the page scrolls sideways").toBeLessThanOrEqual(innerWidth);
}

for (const viewport of VIEWPORTS) {
  for (const javaScript of [true, false]) {
    test.describe(`${viewport.name}, JavaScript ${javaScript ? "on" : "off"}`, () => {
      test.use({ ...viewport.use, javaScriptEnabled: javaScript });

      test("vi: 'khai sinhh' shows Đăng ký khai sinh and offers “khai sinh”; the link searches it; the title carries the query", async ({ page }) => {
        await page.goto("/procedures");
        await searchFor(page, "Từ khóa", "Tìm kiếm", "khai sinhh");
        await expect(page).toHaveTitle("Kết quả tìm kiếm “khai sinhh”");
        await expect(page.getByRole("heading", { level: 1 })).toHaveText("Kết quả tìm kiếm “khai sinhh”");
        const status = page.getByRole("status");
        await expect(status).toContainText("Không có thủ tục nào khớp với “khai sinhh”. Có phải bạn muốn tìm khai sinh?");
        await expect(status).toContainText("thủ tục tìm thấy cho “khai sinh”");
        await expect(page.getByRole("link", { name: "Đăng ký khai sinh", exact: true })).toBeVisible();
        await expectNoHorizontalScroll(page);
        await expectAccessible(page, javaScript);

        await status.getByRole("link", { name: "khai sinh", exact: true }).click();
        await expect(page).toHaveURL(/\/procedures\?q=khai\+sinh$/);
        await expect(page).toHaveTitle("Kết quả tìm kiếm “khai sinh”");
        await expect(page.getByRole("heading", { level: 1 })).toHaveText("Kết quả tìm kiếm “khai sinh”");
        await expect(page.getByLabel("Từ khóa", { exact: true })).toHaveValue("khai sinh");
        await expect(page.getByText("Có phải bạn muốn tìm")).toHaveCount(0);
        await expect(page.getByRole("status")).toHaveText(/^Tìm thấy \d+ thủ tục$/);
        await expect(page.getByRole("link", { name: "Đăng ký khai sinh", exact: true })).toBeVisible();
      });

      test("vi: 'dang ki ket hon' (ki for ký) finds Đăng ký kết hôn; gibberish gets no suggestion", async ({ page }) => {
        await page.goto("/procedures");
        await searchFor(page, "Từ khóa", "Tìm kiếm", "dang ki ket hon");
        await expect(page.getByRole("heading", { level: 1 })).toHaveText("Kết quả tìm kiếm “dang ki ket hon”");
        await expect(page.getByRole("link", { name: "Đăng ký kết hôn", exact: true })).toBeVisible();
        await expect(page.getByText("Có phải bạn muốn tìm")).toHaveCount(0);

        await searchFor(page, "Từ khóa", "Tìm kiếm", "xyzxyz qqq");
        await expect(page).toHaveTitle("Kết quả tìm kiếm “xyzxyz qqq”");
        await expect(page.getByRole("status")).toHaveText("Tìm thấy 0 thủ tục");
        await expect(page.getByText("Không tìm thấy thủ tục phù hợp.")).toBeVisible();
        await expect(page.getByText("Có phải bạn muốn tìm")).toHaveCount(0);
        await expectNoHorizontalScroll(page);
      });

      test("en: a typo in an English name offers the correction; the title and heading carry the query", async ({ page }) => {
        await page.goto("/procedures");
        await page.getByRole("button", { name: "English" }).click();
        await expect(page.locator("html")).toHaveAttribute("lang", "en");
        await searchFor(page, "Keywords", "Search", "marriage registraton");
        await expect(page).toHaveTitle("Search results for “marriage registraton”");
        await expect(page.getByRole("heading", { level: 1 })).toHaveText("Search results for “marriage registraton”");
        const status = page.getByRole("status");
        await expect(status).toContainText("No procedure matches “marriage registraton”. Did you mean marriage registration?");
        await expect(page.getByRole("link", { name: "Marriage registration", exact: true })).toBeVisible();
        await expectNoHorizontalScroll(page);
        await expectAccessible(page, javaScript);

        await status.getByRole("link", { name: "marriage registration", exact: true }).click();
        await expect(page).toHaveTitle("Search results for “marriage registration”");
        await expect(page.getByText("Did you mean")).toHaveCount(0);
        await expect(page.getByRole("link", { name: "Marriage registration", exact: true })).toBeVisible();
      });
    });
  }
}

test.describe("360 px, a long unbroken query", () => {
  test.use({ viewport: { width: 360, height: 740 } });
  test("the heading wraps it: no sideways scroll", async ({ page }) => {
    await page.goto(`/procedures?q=${"khaisinh".repeat(20)}`);
    await expect(page.getByRole("heading", { level: 1 })).toContainText("khaisinhkhaisinh");
    await expectNoHorizontalScroll(page);
  });
});
