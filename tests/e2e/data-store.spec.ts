import { expect, test, type Page } from "@playwright/test";
import { fileFields, localText } from "../../app/core/forms/definition";
import { deliveryAnswer } from "../fixtures/answers";
import { PDF_BYTES } from "../fixtures/files";
import { expectAccessible, fieldLabel, fillForm, registerCitizen, seededForm } from "./support";

/**
 * Issue 17 item 5, the citizen's data store as a citizen meets it: a file sent with an earlier
 * application is listed under "My documents" and, on a new application, picked instead of uploaded
 * again — with JavaScript and without (the picker is plain radios and a button posting the form).
 */
const CODE = "3.000333"; // one file field (PDF, JPEG or PNG)
const def = seededForm(CODE);
const [field] = fileFields(def);
if (!field) throw new Error("a file field");
const LABEL = fieldLabel(def, field.name);
const NAME = localText(field.label, "vi");
const OLD_FILE = "giay-xac-nhan-lan-truoc.pdf";

/** The form filled with valid answers, but the file field left empty (its file comes from the data store). */
async function fillWithoutFile(page: Page) {
  await fillForm(page, def, deliveryAnswer(def, "counter"));
  await page.getByLabel(LABEL, { exact: true }).setInputFiles([]);
}

async function submitFromCheckPage(page: Page) {
  await expect(page.getByRole("heading", { name: "Kiểm tra thông tin trước khi nộp" })).toBeVisible();
  const counter = page.getByLabel("Nhận trực tiếp tại bộ phận một cửa", { exact: true });
  if ((await counter.count()) > 0) await counter.check();
  await page.getByRole("button", { name: "Nộp hồ sơ" }).click();
  await expect(page.getByRole("heading", { name: "Đã nộp hồ sơ" })).toBeVisible();
}

for (const javaScript of [true, false]) {
  test.describe(`JavaScript ${javaScript ? "on" : "off"}`, () => {
    test.use({ javaScriptEnabled: javaScript });

    test("a file sent with an earlier application is reused on a new one and shown on the check page", async ({ page }) => {
      // The earlier application, its file uploaded under a name of its own.
      await page.goto(`/procedures/${CODE}/apply`);
      await registerCitizen(page);
      await fillWithoutFile(page);
      await page.getByLabel(LABEL, { exact: true }).setInputFiles({ name: OLD_FILE, mimeType: "application/pdf", buffer: Buffer.from(PDF_BYTES) });
      await page.getByRole("button", { name: "Tiếp tục" }).click();
      await submitFromCheckPage(page);

      // It is in the data store, with its application and a download.
      await page.goto("/account/documents");
      await expect(page.getByRole("heading", { level: 1, name: "Kho dữ liệu của tôi" })).toBeVisible();
      await expect(page.getByRole("link", { name: `Tải xuống ${OLD_FILE}` })).toBeVisible();
      await expectAccessible(page, javaScript);

      // A new application: the file is picked, not uploaded.
      await page.goto(`/procedures/${CODE}/apply`);
      await fillWithoutFile(page);
      const picker = page.getByRole("group", { name: `Dùng giấy tờ đã có cho “${NAME}”` });
      await picker.getByLabel(new RegExp(`^${OLD_FILE.replace(/\./g, "\\.")} — Tệp đã nộp`)).check();
      await picker.getByRole("button", { name: `Dùng giấy tờ đã chọn cho “${NAME}”` }).click();
      await expect(page.getByText(new RegExp(`Đã tải lên: ${OLD_FILE.replace(/\./g, "\\.")}`))).toBeVisible();
      await expectAccessible(page, javaScript);
      // The answers typed before picking were kept with the draft.
      await page.getByRole("button", { name: "Tiếp tục" }).click();
      await expect(page.getByRole("heading", { name: "Kiểm tra thông tin trước khi nộp" })).toBeVisible();
      await expect(page.getByRole("definition").filter({ hasText: OLD_FILE })).toBeVisible();
    });
  });
}
