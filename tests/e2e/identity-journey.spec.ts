import { expect, test, type Page } from "@playwright/test";
import { localText } from "../../app/core/forms/definition";
import { population, signInCandidates, type Resident } from "../../app/simulators/vneid/population";
import { deliveryAnswer } from "../fixtures/answers";
import { PDF_BYTES } from "../fixtures/files";
import { expectAccessible, fieldLabel, fillForm, seededForm, signIn } from "./support";

/**
 * Issue 17 as a parent meets it, with JavaScript and without: sign in with VNeID (level 2); file a
 * birth registration for the elder child — the parent's and the child's particulars come verified
 * from the population record, locked and marked — sending the parents' marriage certificate; then
 * one for the younger child, picking that certificate from "my documents" instead of uploading it;
 * the ward's officer sees who filed for whom, the verified marks and the reused document.
 */
const CODE = "1.001193"; // Đăng ký khai sinh, handled by the Hoàn Kiếm ward
const OFFICER = { email: "can.bo.hoankiem@example.vn", password: "CanBo@2026" };
const def = seededForm(CODE);
const CERTIFICATE = "giay_chung_nhan_ket_hon";
const CERTIFICATE_FILE = "giay-chung-nhan-ket-hon-cua-cha-me.pdf";
const VERIFIED = new Set(["applicant_name", "applicant_dob", "applicant_cccd", "applicant_address", "child_name", "child_dob", "child_sex"]);

const childrenOf = (parent: Resident) =>
  population()
    .residents.filter((r) => r.fatherCccd === parent.cccd || r.motherCccd === parent.cccd)
    .sort((a, b) => a.birthDate.localeCompare(b.birthDate));
// Parents of two or more who can sign in, from the end of the list (other specs take residents from its start).
const PARENTS = signInCandidates()
  .filter((r) => r.email !== null && childrenOf(r).length >= 2)
  .reverse();

async function signInWithVneid(page: Page, resident: Resident) {
  await page.goto("/login");
  await page.getByRole("link", { name: "Đăng nhập bằng VNeID" }).click();
  await page.getByLabel("Người đăng nhập").selectOption(resident.cccd);
  await page.getByLabel("Mức 2 — đã xác thực trực tiếp tại cơ quan Công an").check();
  await page.getByRole("button", { name: "Đăng nhập", exact: true }).click();
  await page.waitForURL((url) => url.pathname === "/");
  await expect(page.getByRole("button", { name: new RegExp(resident.fullName) })).toBeVisible();
}

/** The form's "Filed for … Change" line leads to the for-whom step; the child is picked from the population record. */
async function fileForChild(page: Page, child: Resident, javaScript: boolean) {
  await page.goto(`/procedures/${CODE}/apply`);
  await page.getByRole("link", { name: "Thay đổi người được nộp cho" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Bạn nộp hồ sơ này cho ai?" })).toBeVisible();
  await expectAccessible(page, javaScript);
  await page.getByLabel("Cho con tôi").check();
  await page.getByLabel("Chọn người con").selectOption({ label: child.fullName });
  await page.getByRole("button", { name: "Tiếp tục" }).click();
  await page.waitForURL((url) => url.pathname === `/procedures/${CODE}/apply`);
  await expect(page.getByText(`${child.fullName} (cha/mẹ nộp cho con)`)).toBeVisible();
}

/** The verified answers are on the page, read-only, each with its mark. */
async function expectVerified(page: Page, parent: Resident, child: Resident) {
  for (const [name, value] of [
    ["applicant_name", parent.fullName],
    ["applicant_cccd", parent.cccd],
    ["child_name", child.fullName],
  ] as const) {
    const input = page.getByLabel(fieldLabel(def, name), { exact: true });
    await expect(input).toHaveValue(value);
    await expect(input).not.toBeEditable();
  }
  await expect(page.getByText("Đã xác thực").first()).toBeVisible();
}

async function toCheckAndSubmit(page: Page): Promise<string> {
  await page.getByRole("button", { name: "Tiếp tục" }).click();
  await expect(page.getByRole("heading", { name: "Kiểm tra thông tin trước khi nộp" })).toBeVisible();
  const counter = page.getByLabel("Nhận trực tiếp tại bộ phận một cửa", { exact: true });
  if ((await counter.count()) > 0) await counter.check();
  await page.getByRole("button", { name: "Nộp hồ sơ" }).click();
  await expect(page.getByRole("heading", { name: "Đã nộp hồ sơ" })).toBeVisible();
  return (await page.locator(".panel__code").textContent())?.trim() ?? "";
}

test.describe.configure({ timeout: 180_000 });

for (const javaScript of [true, false]) {
  test.describe(`JavaScript ${javaScript ? "on" : "off"}`, () => {
    test.use({ javaScriptEnabled: javaScript });

    test("a parent signs in with VNeID, files for two children with verified answers and a reused certificate; the officer sees who filed for whom", async ({
      page,
      browser,
    }) => {
      const parent = PARENTS[javaScript ? 0 : 1];
      if (!parent) throw new Error("no parent of two in the simulated population");
      const [elder, younger] = childrenOf(parent);
      if (!elder || !younger) throw new Error("two children");
      await signInWithVneid(page, parent);

      // The elder child: verified particulars, the marriage certificate uploaded.
      await fileForChild(page, elder, javaScript);
      await expectVerified(page, parent, elder);
      await expectAccessible(page, javaScript);
      const answers = { ...deliveryAnswer(def, "counter"), father_status: "ket_hon" };
      await fillForm(page, def, answers, { skip: VERIFIED });
      await page
        .getByLabel(fieldLabel(def, CERTIFICATE), { exact: true })
        .setInputFiles({ name: CERTIFICATE_FILE, mimeType: "application/pdf", buffer: Buffer.from(PDF_BYTES) });
      const first = await toCheckAndSubmit(page);
      expect(first).not.toBe("");

      // The younger child: the certificate picked from "my documents", not uploaded.
      await fileForChild(page, younger, javaScript);
      await expectVerified(page, parent, younger);
      await fillForm(page, def, answers, { skip: new Set([...VERIFIED, CERTIFICATE]) });
      const name = localText(def.sections.flatMap((s) => s.fields).find((f) => f.name === CERTIFICATE)?.label ?? { vi: "" }, "vi");
      const picker = page.getByRole("group", { name: `Dùng giấy tờ đã có cho “${name}”` });
      await picker.getByLabel(new RegExp(`^${CERTIFICATE_FILE.replace(/\./g, "\\.")} — Tệp đã nộp`)).check();
      await picker.getByRole("button", { name: `Dùng giấy tờ đã chọn cho “${name}”` }).click();
      await expect(page.getByText(`Đã tải lên: ${CERTIFICATE_FILE}`, { exact: false }).first()).toBeVisible();
      const second = await toCheckAndSubmit(page);

      // Their businesses page (the registry may name none of theirs) is readable too.
      await page.goto("/account/businesses");
      await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
      await expectAccessible(page, javaScript);

      // Both dossiers are in the parent's list, each for its child.
      await page.goto("/applications");
      await expect(page.getByRole("link", { name: second })).toBeVisible();
      await expect(page.getByText(`Cho: ${younger.fullName}`)).toBeVisible();
      await expect(page.getByText(`Cho: ${elder.fullName}`)).toBeVisible();

      // The officer: who filed for whom, the verified marks, the reused certificate.
      const context = await browser.newContext({ javaScriptEnabled: javaScript });
      const officer = await context.newPage();
      await signIn(officer, OFFICER.email, OFFICER.password);
      await officer.goto(`/officer/dossiers/${second}`);
      await expect(officer.getByText(`${parent.fullName} nộp cho ${younger.fullName} (cha/mẹ nộp cho con)`)).toBeVisible();
      // The answers and files are behind the recorded full view.
      await officer.getByRole("button", { name: "Xem hồ sơ đầy đủ (được ghi nhật ký)" }).click();
      await expect(officer.getByText("Đã xác thực").first()).toBeVisible();
      await expect(officer.getByText(CERTIFICATE_FILE).first()).toBeVisible();
      await expectAccessible(officer, javaScript);
      await context.close();
    });
  });
}
