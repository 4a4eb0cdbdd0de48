import { expect, test, type Page } from "@playwright/test";
import { allFields, localText, type FormDefinition } from "../../app/core/forms/definition";
import { FORGED_PDF_BYTES, PDF_BYTES } from "../fixtures/files";
import { expectAccessible, registerCitizen, seededForm, signIn } from "./support";

/**
 * Issue 12, the application form and dates, as a citizen and an administrator meet them: on a
 * 360 px phone and a 1366 px desktop, in Vietnamese and English, with JavaScript on and off.
 * - saving a draft says only "Draft saved", whatever is still wrong, and keeps everything;
 * - the error summary names the section of a label the form repeats ("Applicant — Date of birth");
 * - every error comes in one round, the wrong and the too-large file included;
 * - dates are typed, shown and quoted in messages as dd/mm/yyyy.
 */
const CODE = "1.001193"; // Đăng ký khai sinh: the applicant's and the child's "Ngày, tháng, năm sinh"
const def = seededForm(CODE);
const ADMIN = { email: "quan.tri@example.vn", password: "QuanTri@2026" };

type Lang = "vi" | "en";
const WORDS = {
  vi: {
    optional: " (không bắt buộc)",
    continue: "Tiếp tục",
    save: "Lưu nháp",
    saved: "Đã lưu bản nháp.",
    problem: "Có lỗi cần sửa",
    notReal: "Không có ngày này trên lịch: kiểm tra lại ngày và tháng (ngày/tháng/năm)",
    after: (d: string) => `Ngày không được sau ${d}`,
    wrongType: "Tệp không đúng định dạng cho phép (nội dung tệp không phải PDF, JPEG hoặc PNG như yêu cầu)",
    tooLarge: "Tệp quá lớn",
    tick: "Đánh dấu để xác nhận",
    dateHint: "Ngày/tháng/năm, ví dụ 27/03/2007.",
    uploaded: "Đã tải lên: giay-chung-sinh.pdf",
  },
  en: {
    optional: " (optional)",
    continue: "Continue",
    save: "Save draft",
    saved: "Your draft has been saved.",
    problem: "There is a problem",
    notReal: "That date does not exist: check the day and the month (day/month/year)",
    after: (d: string) => `The date cannot be after ${d}`,
    wrongType: "The file is not an allowed type (its content is not the PDF, JPEG or PNG asked for)",
    tooLarge: "The file is too large",
    tick: "Tick the box to confirm",
    dateHint: "Day/month/year, for example 27/03/2007.",
    uploaded: "Uploaded: giay-chung-sinh.pdf",
  },
} as const;

/** Today in Vietnam (UTC+7 all year), as both languages write it. */
const today = () => new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10).split("-").reverse().join("/");

/** A field found as a person finds it: in its section (a group named by the legend), by its label. */
function field(page: Page, lang: Lang, name: string) {
  const section = def.sections.find((s) => s.fields.some((f) => f.name === name));
  const f = allFields(def).find((x) => x.name === name);
  if (!section || !f) throw new Error(`no field ${name}`);
  const label = localText(f.label, lang) + (f.required ? "" : WORDS[lang].optional);
  return page.getByRole("group", { name: localText(section.title, lang), exact: true }).getByLabel(label, { exact: true });
}
const sectionOf = (d: FormDefinition, name: string, lang: Lang) =>
  localText(d.sections.find((s) => s.fields.some((f) => f.name === name))?.title ?? { vi: "?" }, lang);
const labelOf = (name: string, lang: Lang) => localText(allFields(def).find((f) => f.name === name)?.label ?? { vi: "?" }, lang).replace(/[.\s]+$/u, "");

async function noSideScroll(page: Page) {
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
}

async function switchTo(page: Page, lang: Lang) {
  if (lang === "en") await page.getByRole("button", { name: "English" }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", lang);
}

const forged = { name: "giay-chung-sinh.pdf", mimeType: "application/pdf", buffer: Buffer.from(FORGED_PDF_BYTES) };
const goodPdf = { name: "giay-chung-sinh.pdf", mimeType: "application/pdf", buffer: Buffer.from(PDF_BYTES) };
/** Over the field's 5 MB, but under twice that: the post still arrives and the file is refused on its own. */
const tooLarge = () => {
  const bytes = Buffer.alloc(5 * 1024 * 1024 + 1024);
  Buffer.from(PDF_BYTES).copy(bytes);
  return { name: "ket-hon.pdf", mimeType: "application/pdf", buffer: bytes };
};

const COMBOS = [
  { lang: "vi", width: 360, js: true },
  { lang: "vi", width: 1366, js: false },
  { lang: "en", width: 1366, js: true },
  { lang: "en", width: 360, js: false },
] as const;

for (const { lang, width, js } of COMBOS) {
  test.describe(`the application form (${lang}, ${width} px, JavaScript ${js ? "on" : "off"})`, () => {
    test.use({ viewport: { width, height: width === 360 ? 740 : 768 }, javaScriptEnabled: js });

    test("a draft saves with no error; one round names every error, files included, by section; dates are dd/mm/yyyy", async ({ page }) => {
      test.setTimeout(150_000);
      const w = WORDS[lang];
      await page.goto(`/procedures/${CODE}/apply`);
      await registerCitizen(page);
      await switchTo(page, lang);

      // Date boxes are text boxes that say how to write a date.
      const applicantDob = field(page, lang, "applicant_dob");
      await expect(applicantDob).toHaveAttribute("type", "text");
      await expect(applicantDob).toHaveAccessibleDescription(w.dateHint);

      // 1. Save a draft half done, with a wrong file chosen: "Draft saved", and only that file named.
      await applicantDob.fill("31/02/1990");
      await field(page, lang, "giay_chung_sinh").setInputFiles(forged);
      await page.getByRole("button", { name: w.save }).click();
      await expect(page.getByRole("status").filter({ hasText: w.saved })).toBeVisible();
      await expect(page.getByRole("alert").getByRole("link")).toHaveText([`${labelOf("giay_chung_sinh", lang)}: ${w.wrongType}`]);
      await expect(applicantDob).toHaveValue("31/02/1990");

      // 2. Continue with a wrong date, a future date, a wrong file, a file too large and the declaration
      //    unticked: every error at once, the repeated label named with its section.
      await field(page, lang, "applicant_cccd").fill("001099012345");
      await field(page, lang, "applicant_address").fill("Số 12 phố Hàng Bạc, Hoàn Kiếm, Hà Nội");
      await field(page, lang, "child_name").fill("Nguyễn Minh An");
      await field(page, lang, "child_dob").fill("01/01/2099");
      await page
        .getByRole("group", { name: labelOf("child_sex", lang), exact: true })
        .getByRole("radio")
        .first()
        .check();
      // Born in a hospital, to Vietnamese parents who are married: the birth notice and the father's details are asked.
      for (const name of ["birth_place_type", "parents_nationality", "father_status"]) {
        await page
          .getByRole("group", { name: labelOf(name, lang), exact: true })
          .getByRole("radio")
          .first()
          .check();
      }
      await field(page, lang, "birth_place").fill("Bệnh viện Phụ sản Hà Nội");
      await field(page, lang, "child_ethnicity").fill("Kinh");
      await field(page, lang, "mother_name").fill("Trần Thị Mai");
      await field(page, lang, "father_name").fill("Nguyễn Văn Nam");
      await field(page, lang, "relationship").selectOption({ index: 1 });
      await field(page, lang, "giay_chung_sinh").setInputFiles(forged);
      await field(page, lang, "giay_chung_nhan_ket_hon").setInputFiles(tooLarge());
      await page.getByRole("button", { name: w.continue }).click();

      const summary = page.getByRole("alert");
      await expect(summary.getByRole("heading", { name: w.problem })).toBeVisible();
      const applicantSection = sectionOf(def, "applicant_dob", lang);
      const childSection = sectionOf(def, "child_dob", lang);
      expect(applicantSection).toBe(lang === "vi" ? "Thông tin người nộp" : "Applicant");
      expect(childSection).toBe(lang === "vi" ? "Thông tin người được khai sinh" : "Child");
      await expect(summary.getByRole("link")).toHaveText([
        `${applicantSection} — ${labelOf("applicant_dob", lang)}: ${w.notReal}`,
        `${childSection} — ${labelOf("child_dob", lang)}: ${w.after(today())}`,
        `${labelOf("giay_chung_sinh", lang)}: ${w.wrongType}`,
        `${labelOf("giay_chung_nhan_ket_hon", lang)}: ${w.tooLarge}`,
        `${labelOf("cam_doan", lang)}: ${w.tick}`,
      ]);
      // The date in the message is written as the language writes dates, never ISO.
      await expect(summary).not.toContainText(/\d{4}-\d{2}-\d{2}/);
      await expect(page.getByRole("status").filter({ hasText: w.saved })).toHaveCount(0);
      await noSideScroll(page);
      await expectAccessible(page, js);

      // Each link goes to its own field: the child's date, not the applicant's.
      await summary.getByRole("link", { name: new RegExp(`^${childSection} — `) }).click();
      if (js) await expect(field(page, lang, "child_dob")).toBeFocused();
      else await expect(page).toHaveURL(/#f-child_dob$/);

      // 3. Fix the files only, then save: "Draft saved" alone, though the dates and the declaration are still wrong.
      await field(page, lang, "giay_chung_sinh").setInputFiles(goodPdf);
      await field(page, lang, "giay_chung_nhan_ket_hon").setInputFiles([]);
      await page.getByRole("button", { name: w.save }).click();
      await expect(page.getByRole("status").filter({ hasText: w.saved })).toBeVisible();
      await expect(page.getByRole("alert")).toHaveCount(0);
      await noSideScroll(page);
      await expectAccessible(page, js);

      // Nothing is lost: a fresh visit shows every answer as typed, and the file kept.
      await page.goto(`/procedures/${CODE}/apply`);
      await expect(field(page, lang, "applicant_dob")).toHaveValue("31/02/1990");
      await expect(field(page, lang, "child_dob")).toHaveValue("01/01/2099");
      await expect(field(page, lang, "child_name")).toHaveValue("Nguyễn Minh An");
      await expect(field(page, lang, "relationship")).not.toHaveValue("");
      await expect(page.getByText(w.uploaded)).toBeVisible();
      await expect(page.getByRole("alert")).toHaveCount(0);

      // 4. Dates typed day/month/year are taken, and read back as such on the check page.
      await field(page, lang, "applicant_dob").fill("5/3/1990");
      await field(page, lang, "child_dob").fill(today());
      await page.getByRole("checkbox", { name: labelOf("cam_doan", lang) }).check();
      await page.getByRole("button", { name: w.continue }).click();
      await expect(page).toHaveURL(new RegExp(`/procedures/${CODE.replace(".", "\\.")}/apply/check$`));
      await expect(page.getByText("05/03/1990", { exact: true })).toBeVisible();
      await expect(page.getByText(today(), { exact: true })).toBeVisible();
      await noSideScroll(page);
    });
  });
}

for (const { lang, width, js } of COMBOS) {
  test.describe(`the statistics and audit date filters (${lang}, ${width} px, JavaScript ${js ? "on" : "off"})`, () => {
    test.use({ viewport: { width, height: width === 360 ? 740 : 768 }, javaScriptEnabled: js });

    test("take day/month/year, keep an ISO address, and say when a day does not exist", async ({ page }) => {
      // axe over the statistics page (its tables and charts) takes most of this on two shared cores.
      test.setTimeout(300_000);
      const w = WORDS[lang];
      const from = lang === "vi" ? "Từ ngày" : "From";
      const to = lang === "vi" ? "Đến ngày" : "To";
      await signIn(page, ADMIN.email, ADMIN.password);
      await page.goto("/admin/statistics");
      await switchTo(page, lang);

      const fromBox = page.getByRole("search").getByLabel(from, { exact: true });
      await expect(fromBox).toHaveAttribute("type", "text");
      await expect(fromBox).toHaveAccessibleDescription(lang === "vi" ? "Ngày/tháng/năm, ví dụ 15/06/2026" : "Day/month/year, for example 15/06/2026");
      // The default period is shown as the language writes dates.
      await expect(fromBox).toHaveValue(/^\d{2}\/\d{2}\/\d{4}$/);

      await fromBox.fill("1/6/2026");
      await page.getByRole("search").getByLabel(to, { exact: true }).fill("14/06/2026");
      await page.getByRole("button", { name: lang === "vi" ? "Xem thống kê" : "Show statistics" }).click();
      await page.waitForURL(/\/admin\/statistics\?from=2026-06-01&to=2026-06-14(&|$)/);
      await expect(fromBox).toHaveValue("01/06/2026");
      await expect(page.getByRole("search").getByLabel(to, { exact: true })).toHaveValue("14/06/2026");
      await noSideScroll(page);

      await fromBox.fill("31/06/2026");
      await page.getByRole("button", { name: lang === "vi" ? "Xem thống kê" : "Show statistics" }).click();
      await expect(page.getByRole("alert").getByRole("link")).toHaveText([w.notReal]);
      await expect(fromBox).toHaveValue("31/06/2026");
      await expectAccessible(page, js);

      // The audit trail's filter takes the same dates.
      await page.goto("/admin/audit");
      const auditFrom = page.getByRole("search").getByLabel(from, { exact: true });
      await expect(auditFrom).toHaveAccessibleDescription(lang === "vi" ? "Ngày/tháng/năm, ví dụ 11/03/2026." : "Day/month/year, for example 11/03/2026.");
      await auditFrom.fill("31/02/2026");
      await page.getByRole("button", { name: lang === "vi" ? "Lọc" : "Filter" }).click();
      await expect(page.getByRole("alert").getByRole("link")).toHaveText([w.notReal]);
      await auditFrom.fill("01/01/2026");
      await page.getByRole("button", { name: lang === "vi" ? "Lọc" : "Filter" }).click();
      await expect(page.getByRole("alert")).toHaveCount(0);
      await expect(auditFrom).toHaveValue("01/01/2026");
      await noSideScroll(page);
      await expectAccessible(page, js);
    });
  });
}
