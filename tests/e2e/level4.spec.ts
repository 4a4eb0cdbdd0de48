import { expect, test, type Browser, type Page } from "@playwright/test";
import Database from "better-sqlite3";
import { readFile } from "node:fs/promises";
import path from "node:path";
import * as z from "zod";
import { deliveryAnswer } from "../fixtures/answers";
import { applyAndSubmit, expectAccessible, fillForm, officerIssuesResult, payAtGateway, registerCitizen, seededForm } from "./support";

// Cấp phiếu lý lịch tư pháp: level 4, fee 200.000 đ, handled by Hà Nội police (seeded officer).
const CRIMINAL_RECORD = "3.000333";
// Đăng ký khai sinh: level 4 and free, so by post only the postage is due.
const BIRTH = "1.001193";

test.describe.configure({ timeout: 120_000 });

async function officerPage(browser: Browser, baseURL: string | undefined): Promise<Page> {
  const context = await browser.newContext({ baseURL, javaScriptEnabled: true });
  return context.newPage();
}

test("apply for a level-4 procedure, pay online, download the e-result and verify it", async ({ page, browser, baseURL }) => {
  const code = await applyAndSubmit(page, CRIMINAL_RECORD, "online");
  await expect(page.getByRole("heading", { name: "Phí, lệ phí và thanh toán" })).toBeVisible();
  await expectAccessible(page);
  await page.getByRole("button", { name: /Thanh toán trực tuyến 200\.000/ }).click();
  await expectAccessible(page);
  await payAtGateway(page, "00");
  await expect(page.getByRole("heading", { name: "Thanh toán thành công" })).toBeVisible();
  await expectAccessible(page);
  await page.getByRole("link", { name: `Quay lại hồ sơ ${code}` }).click();
  await expect(page.getByText(/Đã thanh toán lúc/)).toBeVisible();

  const officer = await officerPage(browser, baseURL);
  await officerIssuesResult(officer, code);
  await officer.context().close();

  await page.reload();
  const downloading = page.waitForEvent("download");
  await page.getByRole("link", { name: "Tải kết quả điện tử (PDF)" }).click();
  const download = await downloading;
  const path = await download.path();
  const bytes = await readFile(path);
  expect(bytes.subarray(0, 5).toString()).toBe("%PDF-");

  await page.goto("/verify");
  await page.getByLabel("Tệp kết quả (PDF)").setInputFiles({ name: "ket-qua.pdf", mimeType: "application/pdf", buffer: bytes });
  await page.getByRole("button", { name: "Kiểm tra" }).click();
  await expect(page.getByRole("heading", { name: "Kết quả xác thực: hợp lệ" })).toBeVisible();
  await expectAccessible(page);

  // The same file with one byte changed is not authentic.
  const edited = Buffer.from(bytes);
  edited[edited.length - 300] = (edited[edited.length - 300] ?? 0) ^ 1;
  await page.getByLabel("Tệp kết quả (PDF)").setInputFiles({ name: "ket-qua.pdf", mimeType: "application/pdf", buffer: edited });
  await page.getByRole("button", { name: "Kiểm tra" }).click();
  await expect(page.getByRole("heading", { name: /KHÔNG hợp lệ|không tìm thấy/ })).toBeVisible();
});

test("cancel a payment at the gateway, then retry and succeed", async ({ page }) => {
  const code = await applyAndSubmit(page, CRIMINAL_RECORD, "counter");
  await page.getByRole("button", { name: /Thanh toán trực tuyến/ }).click();
  await payAtGateway(page, "24");
  await expect(page.getByRole("heading", { name: "Bạn đã hủy thanh toán" })).toBeVisible();
  await page.getByRole("link", { name: `Quay lại hồ sơ ${code}` }).click();
  // On the dossier page (the return page also says "đã hủy", in its reason): the cancelled attempt.
  await expect(page.getByRole("heading", { level: 1, name: `Hồ sơ ${code}` })).toBeVisible();
  await expect(page.getByRole("listitem").filter({ hasText: "Đã hủy" })).toBeVisible();
  await page.getByRole("button", { name: /Thanh toán trực tuyến/ }).click();
  await payAtGateway(page, "00", "Ví điện tử MoMo");
  await expect(page.getByRole("heading", { name: "Thanh toán thành công" })).toBeVisible();
});

test("a result sent by post advances to delivered on the tracking page", async ({ page, browser, baseURL }) => {
  const code = await applyAndSubmit(page, BIRTH, "post");
  await expect(page.getByText("Cước gửi kết quả qua bưu chính")).toBeVisible();
  await page.getByRole("button", { name: /Thanh toán trực tuyến 25\.000/ }).click();
  await payAtGateway(page, "00");
  await expect(page.getByRole("heading", { name: "Thanh toán thành công" })).toBeVisible();

  const officer = await officerPage(browser, baseURL);
  await officerIssuesResult(officer, code, "can.bo.hoankiem@example.vn");
  await officer.context().close();

  await page.goto(`/applications/${code}`);
  const tracking =
    (
      await page
        .getByText(/^Số hiệu bưu gửi/)
        .locator("strong")
        .textContent()
    )?.trim() ?? "";
  expect(tracking).toMatch(/^EB\d{9}VN$/);

  const postman = await officerPage(browser, baseURL);
  await postman.goto(`/post-sim/${tracking}`);
  // One step at a time: each click waits for its post to be answered (a loaded machine can be slow to navigate).
  for (let i = 0; i < 3; i++) {
    await Promise.all([
      postman.waitForResponse((r) => r.request().method() === "POST" && r.url().includes("/post-sim/")),
      postman.getByRole("button", { name: "Chuyển sang bước tiếp theo" }).click(),
    ]);
    await postman.waitForLoadState();
  }
  await expect(postman.getByText("Đã phát thành công").first()).toBeVisible();
  await postman.context().close();

  await page.goto(`/track?code=${code}`);
  await page.getByLabel("Số điện thoại hoặc 4 số cuối CCCD").fill("0912345678");
  await page.getByRole("button", { name: "Tra cứu" }).click();
  await expect(page.getByRole("heading", { name: "Gửi kết quả qua bưu chính" })).toBeVisible();
  await expect(page.getByText(`Số hiệu bưu gửi: ${tracking} — Đã phát thành công`)).toBeVisible();
  await expect(page.getByRole("definition").filter({ hasText: "Đã trả kết quả" })).toBeVisible();
  await expectAccessible(page);
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });
  test("the pay flow works", async ({ page }) => {
    await applyAndSubmit(page, CRIMINAL_RECORD, "counter");
    await page.getByRole("button", { name: /Thanh toán trực tuyến 200\.000/ }).click();
    await expectAccessible(page, false);
    await payAtGateway(page, "00");
    await expect(page.getByRole("heading", { name: "Thanh toán thành công" })).toBeVisible();
    await expectAccessible(page, false);
  });
});

/**
 * Issue 16: the fee is computed from the answers by the form's rule (criminal-record certificate:
 * 200.000 đ, and 5.000 đ for each certificate from the third), shown on the check-answers page before
 * submitting, and exactly that amount is charged at the gateway and recorded as paid — with
 * JavaScript and without.
 */
for (const javaScript of [true, false]) {
  test(`the fee computed from the answers is shown before submitting and is the amount paid (JavaScript ${javaScript ? "on" : "off"})`, async ({
    browser,
    baseURL,
  }) => {
    const context = await browser.newContext({ baseURL, javaScriptEnabled: javaScript });
    const page = await context.newPage();
    const def = seededForm(CRIMINAL_RECORD);
    await page.goto(`/procedures/${CRIMINAL_RECORD}/apply`);
    await registerCitizen(page, javaScript ? "Phan Thị Thu" : "Hoàng Văn Bảo");
    await fillForm(page, def, { ...deliveryAnswer(def, "online"), copies: "4" });
    await page.getByRole("button", { name: "Tiếp tục" }).click();
    await expect(page.getByRole("heading", { name: "Kiểm tra thông tin trước khi nộp" })).toBeVisible();
    // 200.000 + 2 × 5.000: shown, with how it was reached, before anything is submitted.
    await expect(page.getByText(/210\.000/).first()).toBeVisible();
    await page.getByRole("button", { name: "Nộp hồ sơ" }).click();
    await expect(page.getByRole("heading", { name: "Đã nộp hồ sơ" })).toBeVisible();
    const code = (await page.locator(".panel__code").textContent())?.trim() ?? "";

    await page.getByRole("button", { name: /Thanh toán trực tuyến 210\.000/ }).click();
    await expect(page.getByText(/210\.000/).first()).toBeVisible();
    await payAtGateway(page, "00");
    await expect(page.getByRole("heading", { name: "Thanh toán thành công" })).toBeVisible();
    expect(paidAmounts(code)).toEqual([{ status: "paid", fee_vnd: 210000, amount_vnd: 210000, dossier_fee: 210000 }]);
    await context.close();
  });
}

/** The dossier's payment attempts, read from the e2e server's database as an auditor would. */
function paidAmounts(receiptCode: string) {
  const file = new Database(path.resolve("test-results/e2e-data/portal.db"), { readonly: true, fileMustExist: true });
  try {
    const rows = file
      .prepare(
        "select p.status, p.fee_vnd, p.amount_vnd, d.fee_vnd as dossier_fee from payments p join dossiers d on d.id = p.dossier_id where d.receipt_code = ? order by p.id",
      )
      .all(receiptCode);
    return z.array(z.object({ status: z.string(), fee_vnd: z.number(), amount_vnd: z.number(), dossier_fee: z.number() })).parse(rows);
  } finally {
    file.close();
  }
}
