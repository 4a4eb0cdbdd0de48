import { expect, test, type Page } from "@playwright/test";
import { readFileSync } from "node:fs";
import * as z from "zod";
import { applyAndSubmit, expectAccessible, fillForm, registerCitizen, seededForm } from "./support";

// Issue 12, "where to go" and English texts: a level-1 page names the one-stop shop's address, hours
// and phone; procedure 1.010738 reads in English on English pages.

const OneStopSchema = z.object({
  code: z.string(),
  name: z.object({ vi: z.string(), en: z.string() }),
  oneStop: z.object({ address: z.string(), hours: z.object({ vi: z.string(), en: z.string() }), phone: z.string() }),
});
const agencies = z.array(OneStopSchema.passthrough()).parse(JSON.parse(readFileSync("db/seed-data/agencies.json", "utf8")));
const office = (code: string) => {
  const found = agencies.find((a) => a.code === code);
  if (!found) throw new Error(`no seeded agency ${code}`);
  return found;
};
/** The tel: link a Vietnamese number dials from anywhere: "0204 3854 316" → tel:+842043854316. */
const tel = (phone: string) => `tel:+84${phone.replace(/\s/g, "").slice(1)}`;

// Chứng thực di chúc: level 1, handled by UBND phường Bắc Giang (Bắc Ninh).
const LEVEL1 = "2.001406";
const LEVEL1_AGENCY = office("bac-ninh-phuong-bac-giang");
// Đăng ký môi trường: level 2, Vietnamese-only before issue 12.
const ENVIRONMENT = "1.010738";

// Each test reads a page, switches language and runs axe on a machine shared with other runs: more than the default 30 s.
test.describe.configure({ timeout: 90_000 });

const WIDTHS = [
  { name: "360 px", viewport: { width: 360, height: 740 } },
  { name: "1366 px", viewport: { width: 1366, height: 768 } },
] as const;

const TEXT = {
  vi: {
    heading: "Nơi nộp hồ sơ",
    address: "Địa chỉ",
    hours: "Giờ làm việc",
    phone: "Điện thoại",
    envName: "Đăng ký môi trường",
    envSummary: /^Dự án đầu tư, cơ sở sản xuất/,
  },
  en: {
    heading: "Where to hand in your dossier",
    address: "Address",
    hours: "Opening hours",
    phone: "Phone",
    envName: "Environmental registration",
    envSummary: /^Investment projects and production, business or service facilities that produce waste/,
  },
} as const;

async function chooseLanguage(page: Page, lang: "vi" | "en") {
  if (lang === "vi") return;
  await page.getByRole("button", { name: "English" }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
}

async function noHorizontalScroll(page: Page) {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
  expect(scrollWidth, `page ${page.url()} scrolls sideways`).toBeLessThanOrEqual(innerWidth);
}

/** A value of the "where to go" summary list, found by its label (dt → dd). */
const whereValue = (page: Page, label: string) =>
  page
    .getByRole("region", { name: /Nơi nộp hồ sơ|Where to hand in your dossier/ })
    .locator("dt", { hasText: new RegExp(`^(?:${label})$`) })
    .locator("xpath=following-sibling::dd[1]");

for (const width of WIDTHS) {
  for (const lang of ["vi", "en"] as const) {
    test.describe(`${width.name}, ${lang}`, () => {
      test.use({ viewport: width.viewport });
      const text = TEXT[lang];

      test("a level-1 procedure page shows where to go: the one-stop address, hours and a phone link", async ({ page }) => {
        await page.goto(`/procedures/${LEVEL1}`);
        await chooseLanguage(page, lang);
        const region = page.getByRole("region", { name: text.heading });
        await expect(region.getByRole("heading", { level: 2, name: text.heading })).toBeVisible();
        await expect(whereValue(page, text.address)).toHaveText(LEVEL1_AGENCY.oneStop.address);
        // The address stays as posted, in Vietnamese: marked so on an English page.
        if (lang === "en") await expect(whereValue(page, text.address).locator("span")).toHaveAttribute("lang", "vi");
        await expect(whereValue(page, text.hours)).toHaveText(LEVEL1_AGENCY.oneStop.hours[lang]);
        const phone = region.getByRole("link", { name: LEVEL1_AGENCY.oneStop.phone });
        await expect(phone).toHaveAttribute("href", tel(LEVEL1_AGENCY.oneStop.phone));
        await expect(whereValue(page, "Bộ phận một cửa|One-stop shop")).toHaveText(LEVEL1_AGENCY.name[lang]);
        await noHorizontalScroll(page);
        await page.screenshot({ path: `test-results/screenshots/where-to-go-level1-${lang}-${width.viewport.width}.png`, fullPage: true });
        await expectAccessible(page);
      });

      test(`procedure ${ENVIRONMENT} reads in the page's language`, async ({ page }) => {
        await page.goto(`/procedures/${ENVIRONMENT}`);
        await chooseLanguage(page, lang);
        await expect(page.getByRole("heading", { level: 1 })).toHaveText(text.envName);
        await expect(page.getByRole("heading", { level: 1 })).not.toHaveAttribute("lang", "vi");
        await expect(page.getByText(text.envSummary)).toBeVisible();
        await expect(page.getByText(/no English version|not available in English|chưa có bản tiếng Anh/)).toHaveCount(0);
        await expect(page).toHaveTitle(new RegExp(text.envName));
        // Level 2: where to hand it in, at the Tân Định ward's one-stop shop.
        await expect(page.getByRole("region", { name: text.heading }).getByText(office("thanh-pho-ho-chi-minh-phuong-tan-dinh").oneStop.address)).toBeVisible();
        await noHorizontalScroll(page);
        await page.screenshot({ path: `test-results/screenshots/procedure-1.010738-${lang}-${width.viewport.width}.png`, fullPage: true });
        await expectAccessible(page);
      });
    });
  }
}

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false, viewport: { width: 360, height: 740 } });

  test("the level-1 page names where to go and the English switch works", async ({ page }) => {
    await page.goto(`/procedures/${LEVEL1}`);
    await expect(page.getByRole("link", { name: LEVEL1_AGENCY.oneStop.phone })).toHaveAttribute("href", tel(LEVEL1_AGENCY.oneStop.phone));
    await expectAccessible(page, false);
    await page.getByRole("button", { name: "English" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Certification of a will");
    await expect(whereValue(page, "Opening hours")).toHaveText(LEVEL1_AGENCY.oneStop.hours.en);
    await expectAccessible(page, false);
  });
});

test.describe("collecting at the counter", () => {
  test.describe.configure({ timeout: 120_000 });
  test.use({ viewport: { width: 360, height: 740 } });

  test("the check page's counter option and the receipt say where the one-stop shop is", async ({ page }) => {
    // Đăng ký khai sinh, Hoàn Kiếm: the check page asks how to receive the result.
    const code = "1.001193";
    const hoanKiem = office("ha-noi-phuong-hoan-kiem").oneStop;
    const def = seededForm(code);
    await page.goto(`/procedures/${code}/apply`);
    await registerCitizen(page);
    await fillForm(page, def);
    await page.getByRole("button", { name: "Tiếp tục" }).click();
    const counter = page.getByLabel("Nhận trực tiếp tại bộ phận một cửa", { exact: true });
    await expect(counter).toHaveAccessibleDescription(new RegExp(`^${hoanKiem.address.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`));
    await expect(page.getByRole("link", { name: hoanKiem.phone })).toHaveAttribute("href", tel(hoanKiem.phone));
    await noHorizontalScroll(page);
    await expectAccessible(page);
    await counter.check();
    await page.getByRole("button", { name: "Nộp hồ sơ" }).click();
    await expect(page.getByRole("heading", { name: "Đã nộp hồ sơ" })).toBeVisible();
    const where = page.getByRole("region", { name: "Nơi nhận kết quả" });
    await expect(where.getByText(hoanKiem.address)).toBeVisible();
    await expect(where.getByRole("link", { name: hoanKiem.phone })).toHaveAttribute("href", tel(hoanKiem.phone));
    await noHorizontalScroll(page);
    await expectAccessible(page);
  });

  test("a dossier received online has no counter directions on its receipt", async ({ page }) => {
    await applyAndSubmit(page, "1.001193", "online");
    await expect(page.getByRole("region", { name: "Nơi nhận kết quả" })).toHaveCount(0);
  });
});
