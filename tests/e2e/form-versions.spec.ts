import { expect, test, type Page } from "@playwright/test";
import { expectAccessible, fillForm, registerCitizen, seededForm, signIn } from "./support";

/**
 * Issue 16, "an older dossier still shows its own version": a citizen submits a dossier on the form a
 * procedure offers (version N); the agency's administrator then relabels one of its fields in the
 * builder and publishes version N+1. The citizen's dossier page and the officer's full view still show
 * version N's label beside the answer given, while a new application asks with N+1's label.
 * Found by roles and labels, as a person finds them.
 */
const CODE = "2.000720"; // Changing a household business's registration, Hoàn Kiếm ward (Hà Nội): seeded form, no other e2e test
const ADMIN = { email: "quan.tri.hanoi@example.vn", password: "QuanTri@2026" };
const OFFICER = { email: "can.bo.hoankiem@example.vn", password: "CanBo@2026" };
const def = seededForm(CODE);
const SECTION = "Nội dung thay đổi";
const OLD_LABEL = "Tên hộ kinh doanh hiện tại";
const NEW_LABEL = "Tên hộ kinh doanh đang đăng ký";
const ANSWER = "Hộ kinh doanh Phở Hàng Bạc";
/** Version N+1 as the builder makes it: the same form, the business's name relabelled. */
const newer = {
  ...def,
  sections: def.sections.map((s) => ({
    ...s,
    fields: s.fields.map((f) => (f.name === "business_name" ? { ...f, label: { vi: NEW_LABEL, en: "Registered business name" } } : f)),
  })),
};
if (!def.sections.some((s) => s.fields.some((f) => f.name === "business_name" && f.label.vi === OLD_LABEL)))
  throw new Error(`the seeded form of ${CODE} no longer asks "${OLD_LABEL}"`);

/** Fills the form as given, checks the answers and submits, the result collected at the counter; returns the receipt code. */
async function submit(page: Page, form: typeof def) {
  await fillForm(page, form, { business_name: ANSWER });
  await page.getByRole("button", { name: "Tiếp tục" }).click();
  await expect(page.getByRole("heading", { name: "Kiểm tra thông tin trước khi nộp" })).toBeVisible();
  await page.getByLabel("Nhận trực tiếp tại bộ phận một cửa", { exact: true }).check();
  await page.getByRole("button", { name: "Nộp hồ sơ" }).click();
  await expect(page.getByRole("heading", { name: "Đã nộp hồ sơ" })).toBeVisible();
  return (await page.locator(".panel__code").textContent())?.trim() ?? "";
}

/** Presses a builder button that posts, and waits for the server's notice. */
async function post(page: Page, button: string, notice: string) {
  const answered = page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname.startsWith("/admin/forms/"));
  await page.getByRole("button", { name: button }).click();
  expect((await answered).status(), `"${button}"`).toBeLessThan(400);
  await expect(page.getByRole("status")).toHaveText(notice);
}

test("an older dossier still shows the form version it was made on after a newer one is published; a new application gets the newer one", async ({
  page,
  browser,
  baseURL,
}) => {
  test.setTimeout(180_000);
  // Version N: a citizen applies and submits.
  await page.goto(`/procedures/${CODE}/apply`);
  await registerCitizen(page, "Hoàng Văn Phúc");
  await expect(page.getByRole("group", { name: SECTION, exact: true }).getByLabel(OLD_LABEL, { exact: true })).toBeVisible();
  const receiptCode = await submit(page, def);
  expect(receiptCode).not.toBe("");

  // Version N+1: the administrator relabels the field in the builder and publishes.
  const adminContext = await browser.newContext({ baseURL });
  const admin = await adminContext.newPage();
  await signIn(admin, ADMIN.email, ADMIN.password);
  await admin.goto(`/admin/forms?q=${CODE}`);
  const row = admin.getByRole("row", { name: new RegExp(CODE.replace(".", "\\.")) });
  await expect(row.getByRole("cell", { name: `Phiên bản ${def.version}` })).toBeVisible();
  await row.getByRole("link", { name: `Mở biểu mẫu của thủ tục ${CODE}` }).click();
  await admin.getByRole("button", { name: "Bắt đầu soạn bản nháp" }).click();
  await expect(admin.getByRole("status")).toHaveText("Đã lưu bản nháp.");
  await admin.getByRole("link", { name: `Sửa trường ${OLD_LABEL}` }).click();
  const label = admin.getByRole("group", { name: "Nhãn", exact: true });
  await label.getByLabel("Tiếng Việt").fill(NEW_LABEL);
  await label.getByLabel("Tiếng Anh").fill("Registered business name");
  await post(admin, "Lưu trường", "Đã lưu bản nháp.");
  await admin.getByRole("link", { name: "Quay lại toàn bộ biểu mẫu" }).click();
  await expect(admin.getByRole("link", { name: `Sửa trường ${NEW_LABEL}` })).toBeVisible();
  await post(admin, "Xuất bản biểu mẫu", "Đã xuất bản biểu mẫu.");
  await admin.goto(`/admin/forms?q=${CODE}`);
  await expect(
    admin.getByRole("row", { name: new RegExp(CODE.replace(".", "\\.")) }).getByRole("cell", { name: `Phiên bản ${def.version + 1}` }),
  ).toBeVisible();
  await adminContext.close();

  // The citizen's dossier page: what they declared, under version N's label.
  await page.goto(`/applications/${receiptCode}`);
  const declared = page.getByRole("region", { name: "Nội dung đã khai" });
  const changes = declared.getByRole("region", { name: SECTION });
  await expect(changes.getByText(OLD_LABEL, { exact: true })).toBeVisible();
  await expect(changes.getByText(ANSWER, { exact: true })).toBeVisible();
  await expect(page.getByText(NEW_LABEL)).toHaveCount(0);
  await expectAccessible(page);

  // The officer's full view: the same.
  const officerContext = await browser.newContext({ baseURL });
  const officer = await officerContext.newPage();
  await signIn(officer, OFFICER.email, OFFICER.password);
  await officer.goto(`/officer/dossiers/${receiptCode}`);
  await officer.getByRole("button", { name: "Xem hồ sơ đầy đủ (được ghi nhật ký)" }).click();
  await expect(officer.getByRole("heading", { name: "Nội dung hồ sơ" })).toBeVisible();
  await expect(officer.getByText(OLD_LABEL, { exact: true }).first()).toBeVisible();
  await expect(officer.getByText(ANSWER, { exact: true })).toBeVisible();
  await expect(officer.getByText(NEW_LABEL)).toHaveCount(0);
  await officerContext.close();

  // A new application asks with version N+1's label, and its check page says so too.
  await page.goto(`/procedures/${CODE}/apply`);
  const section = page.getByRole("group", { name: SECTION, exact: true });
  await expect(section.getByLabel(NEW_LABEL, { exact: true })).toBeVisible();
  await expect(section.getByLabel(OLD_LABEL, { exact: true })).toHaveCount(0);
  const second = await submit(page, newer);
  await page.goto(`/applications/${second}`);
  await expect(page.getByRole("region", { name: "Nội dung đã khai" }).getByText(NEW_LABEL, { exact: true })).toBeVisible();
  await expect(page.getByText(OLD_LABEL)).toHaveCount(0);
});
