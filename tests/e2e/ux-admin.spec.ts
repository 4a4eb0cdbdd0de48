import { readFile } from "node:fs/promises";
import { expect, test, type Locator, type Page } from "@playwright/test";
import { expectAccessible, signIn } from "./support";

// Issue 12, administrators: the reported-vs-measured page and the statistics dashboard, at 1366 px and
// 360 px, in Vietnamese and English.
const ADMIN = { email: "quan.tri@example.vn", password: "QuanTri@2026" };
const OFFICER = { email: "can.bo.hoankiem@example.vn", password: "CanBo@2026" };

test.describe.configure({ timeout: 180_000 });

const TEXT = {
  vi: {
    reportedTitle: "Đối chiếu số liệu báo cáo với số liệu đo được",
    useAppendix: "Dùng phụ lục năm 2019 có sẵn",
    summary: "Tóm tắt",
    changedLead: "2 cơ quan đổi kết luận về chỉ tiêu 30 % khi tính lại tỷ lệ từ số liệu của chính cơ quan đó:",
    ttt: "Bộ Thông tin và Truyền thông: báo cáo 30 % (đạt), nhưng 61 / 206 thủ tục = 29,61 %, tức là chưa đạt.",
    laoCai: "Lào Cai: báo cáo 30 % (đạt), nhưng 620 / 2.076 thủ tục = 29,87 %, tức là chưa đạt.",
    rounding: "“Lệch quá mức làm tròn” đo gì",
    roundingNot: /không kiểm tra số thủ tục có đúng hay không, và không cho biết cơ quan có đạt chỉ tiêu hay không/,
    download: "Tải bảng đối chiếu (tệp CSV, mở được bằng Excel)",
    csvHeader: "Dòng trong tệp,Loại,Số thứ tự trong tệp,Cơ quan",
    pastImports: "Các lần nhập trước",
    dashboardTitle: "Thống kê sử dụng dịch vụ công",
    keyFigures: "Chỉ số chính",
    grouped: "Các chỉ số chính theo cơ quan, đơn vị",
    filters: "Bộ lọc thống kê",
    showAll: /^Hiện đủ \d+ dòng$/,
    showFirst: "Chỉ hiện 10 dòng đầu",
  },
  en: {
    reportedTitle: "Reported figures vs measured figures",
    useAppendix: "Use the bundled 2019 appendix",
    summary: "Summary",
    changedLead: "2 agencies' verdicts on the 30% target change when their shares are recomputed from their own counts:",
    ttt: "Bộ Thông tin và Truyền thông: reported 30% (meets), but 61 / 206 procedures = 29.61%, which does not meet it.",
    laoCai: "Lào Cai: reported 30% (meets), but 620 / 2,076 procedures = 29.87%, which does not meet it.",
    rounding: "What “beyond rounding” measures",
    roundingNot: /does not check whether the counts themselves are right, and it does not say whether an agency meets the target/,
    download: "Download the comparison (CSV file, opens in Excel)",
    csvHeader: "Line in the file,Kind,Number in the file,Agency",
    pastImports: "Past imports",
    dashboardTitle: "Public service usage statistics",
    keyFigures: "Key figures",
    grouped: "Main figures by agency",
    filters: "Statistics filters",
    showAll: /^Show all \d+ rows$/,
    showFirst: "Show only the first 10 rows",
  },
} as const;
type Lang = keyof typeof TEXT;

const VIEWPORTS = [
  { name: "1366 px", use: { viewport: { width: 1366, height: 768 }, isMobile: false, hasTouch: false, deviceScaleFactor: 1 } },
  { name: "360 px", use: { viewport: { width: 360, height: 740 } } },
] as const;

async function signInIn(page: Page, lang: Lang, who = ADMIN) {
  await signIn(page, who.email, who.password);
  if (lang === "en") {
    await page.getByRole("button", { name: "English" }).click();
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
  }
}

async function noHorizontalScroll(page: Page) {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
  expect(scrollWidth, "the page scrolls sideways").toBeLessThanOrEqual(innerWidth);
}

const pageHeight = (page: Page) => page.evaluate(() => document.documentElement.scrollHeight);

/** The agencies whose verdict flips, named first in the summary, with their figures. */
async function expectFlipsNamed(page: Page, t: (typeof TEXT)[Lang]) {
  const summary = page.getByRole("region", { name: t.summary, exact: true });
  await expect(summary.getByText(t.changedLead)).toBeVisible();
  const flips = summary.getByRole("listitem");
  await expect(flips).toHaveText([t.ttt, t.laoCai]);
  // First: before the counts and the explanation of "beyond rounding".
  const lead = await summary.getByText(t.changedLead).boundingBox();
  const terms = await summary.getByRole("term").first().boundingBox();
  expect(lead && terms && lead.y < terms.y).toBe(true);
  await expect(summary.getByRole("heading", { name: t.rounding })).toBeVisible();
  await expect(summary.getByText(t.roundingNot)).toBeVisible();
}

/** Whether `cell` lies wholly within the window, or else inside a scroll region named like its table. */
async function notClipped(cell: Locator): Promise<"in viewport" | "in a labelled scroll region" | "clipped"> {
  return cell.evaluate((el) => {
    const box = el.getBoundingClientRect();
    if (box.left >= 0 && box.right <= window.innerWidth && el.scrollWidth <= el.clientWidth + 1) return "in viewport";
    const region = el.closest('[role="region"]');
    const caption = el.closest("table")?.querySelector("caption")?.textContent ?? "";
    return region && region.getAttribute("aria-label") === caption && region.scrollWidth > region.clientWidth ? "in a labelled scroll region" : "clipped";
  });
}

for (const lang of ["vi", "en"] as const) {
  const t = TEXT[lang];
  for (const vp of VIEWPORTS) {
    test.describe(`${lang}, ${vp.name}`, () => {
      test.use(vp.use);

      test("reported vs measured: an import names the flipped agencies first, explains 'beyond rounding', exports CSV and reopens at its own address", async ({
        page,
        browser,
      }) => {
        await signInIn(page, lang);
        await page.goto("/admin/statistics/reported");
        await expect(page.getByRole("heading", { level: 1, name: t.reportedTitle })).toBeVisible();
        await page.getByRole("button", { name: t.useAppendix }).click();
        await page.waitForURL(/\/admin\/statistics\/reported\/\d+$/);
        const address = page.url();
        await expectFlipsNamed(page, t);
        await noHorizontalScroll(page);
        await page.screenshot({ path: test.info().outputPath(`reported-${lang}-${vp.use.viewport.width}.png`) });

        // The comparison as a file Excel opens correctly: UTF-8 with its byte-order mark.
        const downloading = page.waitForEvent("download");
        await page.getByRole("link", { name: t.download }).click();
        const download = await downloading;
        expect(download.suggestedFilename()).toMatch(/^doi-chieu-so-lieu-bao-cao-\d+-\d{4}-\d{2}-\d{2}\.csv$/);
        const bytes = await readFile(await download.path());
        expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
        expect(bytes.subarray(3).toString("utf8")).toMatch(new RegExp(`^${t.csvHeader}`));

        // Opened again from its address in another browser session of the same administrator: the same findings.
        const again = await (await browser.newContext({ storageState: await page.context().storageState(), ...vp.use })).newPage();
        await again.goto(address);
        await expectFlipsNamed(again, t);
        await again.context().close();

        // And listed among the past imports, linking to it.
        await page.goto("/admin/statistics/reported");
        const past = page.getByRole("region", { name: t.pastImports, exact: true });
        // (Not necessarily the first: the other language's test, in the next worker, may have imported since.)
        await expect(past.getByRole("link").and(page.locator(`[href="${new URL(address).pathname}"]`))).toHaveCount(1);
        await noHorizontalScroll(page);
      });

      test("the dashboard: key figures on the first screen, the grouped table not clipped, the long tables cut", async ({ page }) => {
        await signInIn(page, lang);
        await page.goto("/admin/statistics");
        await expect(page.getByRole("heading", { level: 1, name: t.dashboardTitle })).toBeVisible();
        const key = page.getByRole("region", { name: t.keyFigures, exact: true });
        await expect(key.getByRole("listitem")).toHaveCount(8);
        const keyBox = await key.boundingBox();
        const formBox = await page.getByRole("search", { name: t.filters }).boundingBox();
        if (!keyBox || !formBox) throw new Error("no key figures or filters");
        // Before the filters, and at 1366 × 768 wholly within the first screen.
        expect(keyBox.y).toBeLessThan(formBox.y);
        if (vp.use.viewport.width === 1366) expect(keyBox.y + keyBox.height).toBeLessThanOrEqual(768);

        const grouped = page.getByRole("table", { name: t.grouped });
        const lastHeader = grouped.getByRole("columnheader").last();
        const where = await notClipped(lastHeader);
        if (vp.use.viewport.width === 1366) expect(where).toBe("in viewport");
        else expect(where).toBe("in a labelled scroll region");
        await noHorizontalScroll(page);

        const cut = await pageHeight(page);
        await page.getByRole("link", { name: t.showAll }).click();
        await page.waitForURL(/grouped=all/);
        await expect(page.getByRole("link", { name: t.showFirst })).toBeVisible();
        const rows = await page.getByRole("table", { name: t.grouped }).getByRole("row").count();
        expect(rows).toBeGreaterThan(11);
        const full = await pageHeight(page);
        test.info().annotations.push({
          type: "page height",
          description: `${lang} ${vp.name}: ${cut} px with the long tables cut, ${full} px with the grouped table in full`,
        });
        expect(cut).toBeLessThan(full);
        await page.screenshot({ path: test.info().outputPath(`dashboard-${lang}-${vp.use.viewport.width}.png`) });
      });
    });
  }
}

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the appendix is imported and shown by a plain form post, the long tables expand by a plain link, and both pages pass axe", async ({ page }) => {
    await signIn(page, ADMIN.email, ADMIN.password);
    await page.goto("/admin/statistics/reported");
    await page.getByRole("button", { name: TEXT.vi.useAppendix }).click();
    await page.waitForURL(/\/admin\/statistics\/reported\/\d+$/);
    await expectFlipsNamed(page, TEXT.vi);
    await expectAccessible(page, false);

    await page.goto("/admin/statistics?groupBy=agency");
    await page.getByRole("link", { name: TEXT.vi.showAll }).click();
    await expect(page.getByRole("link", { name: TEXT.vi.showFirst })).toBeVisible();
    expect(await page.getByRole("table", { name: TEXT.vi.grouped }).getByRole("row").count()).toBeGreaterThan(11);
    await expectAccessible(page, false);
  });
});

test("an officer is refused a kept import", async ({ page, browser }) => {
  const admin = await (await browser.newContext()).newPage();
  await signIn(admin, ADMIN.email, ADMIN.password);
  await admin.goto("/admin/statistics/reported");
  await admin.getByRole("button", { name: TEXT.vi.useAppendix }).click();
  await admin.waitForURL(/\/admin\/statistics\/reported\/\d+$/);
  const path = new URL(admin.url()).pathname;
  await admin.context().close();

  await signIn(page, OFFICER.email, OFFICER.password);
  expect((await page.goto(path))?.status()).toBe(403);
  expect((await page.request.get(`${path}/comparison.csv`)).status()).toBe(403);
});
