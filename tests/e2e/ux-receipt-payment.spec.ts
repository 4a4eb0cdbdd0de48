// Issue 12, citizens: the fee before submitting, the printed receipt, and a failed payment that says
// why and offers "try again" — at 360 px and 1366 px, in Vietnamese and English, with JavaScript on
// and off. Screenshots of the printed receipt go to test-results/ux-receipt-payment/.
import { expect, test, type Page } from "@playwright/test";
import { deliveryAnswer } from "../fixtures/answers";
import { expectAccessible, fillForm, registerCitizen, seededForm } from "./support";

test.describe.configure({ timeout: 180_000 });

// Each test is a citizen on their own network address (the server trusts X-Forwarded-For from
// loopback): the portal allows 10 registrations an hour per address, and the e2e run shares one.
let address = 0;
test.beforeEach(async ({ context }, testInfo) => {
  address += 1;
  await context.setExtraHTTPHeaders({ "X-Forwarded-For": `198.51.100.${((testInfo.workerIndex * 50 + address) % 250) + 1}` });
});

// Cấp phiếu lý lịch tư pháp: level 4, fee 200.000 đ; its form asks how to receive the result.
const CRIMINAL_RECORD = "3.000333";
// Cấp Giấy xác nhận tình trạng hôn nhân: level 4, fee 15.000 đ; the check-answers page asks how to receive it.
const LEVEL4_ASKED = "1.004873";
// Level 3, fee 15.000 đ, at the counter only; and a level-3 procedure with no fee.
const LEVEL3_FEE = "1.001022";
const LEVEL3_FREE = "1.000894";

type Lang = "vi" | "en";
const TEXT = {
  vi: {
    language: "Tiếng Việt",
    checkTitle: "Kiểm tra thông tin trước khi nộp",
    planTitle: "Phí, lệ phí phải nộp",
    fee: "Lệ phí",
    postage: "Cước gửi kết quả qua bưu chính",
    total: "Tổng số tiền",
    online: "Bạn thanh toán trực tuyến sau khi nộp hồ sơ",
    submit: "Nộp hồ sơ",
    submitted: "Đã nộp hồ sơ",
    payButton: (amount: string) => new RegExp(`Thanh toán trực tuyến ${amount.replace(".", "\\.")}`),
    qr: (code: string) => `Mã QR để tra cứu hồ sơ ${code}`,
    standing: "225.000 ₫ — Chưa thanh toán (thanh toán trực tuyến trên Cổng)",
    nav: "Điều hướng chính",
    pdf: "Tải giấy biên nhận (PDF)",
    gatewayTitle: "Thanh toán trực tuyến",
    bank: "Ngân hàng NCB",
    outcome51: "Tài khoản không đủ số dư (mã 51)",
    sendNow: "Gửi ngay",
    pay: "Thanh toán",
    cancel: "Hủy giao dịch",
    failedTitle: "Thanh toán không thành công",
    reason51: "Tài khoản của bạn không đủ số dư để thanh toán.",
    cancelledTitle: "Bạn đã hủy thanh toán",
    reason24: "Bạn đã hủy giao dịch trên trang của cổng thanh toán.",
    code: (c: string) => `Mã phản hồi của cổng thanh toán: ${c}`,
    retry: "Thử thanh toán lại",
    back: (code: string) => `Quay lại hồ sơ ${code}`,
  },
  en: {
    language: "English",
    checkTitle: "Check your answers before submitting",
    planTitle: "What you will pay",
    fee: "Fee",
    postage: "Postage for the result",
    total: "Total",
    online: "You pay online after submitting",
    submit: "Submit dossier",
    submitted: "Dossier submitted",
    payButton: (amount: string) => new RegExp(`Pay online ₫${amount.replace(".", ",")}`),
    qr: (code: string) => `QR code to track dossier ${code}`,
    standing: "₫225,000 — Not paid yet (to pay online on the portal)",
    nav: "Main navigation",
    pdf: "Download the receipt (PDF)",
    gatewayTitle: "Online payment",
    bank: "NCB bank",
    outcome51: "Insufficient funds (code 51)",
    sendNow: "Send now",
    pay: "Pay",
    cancel: "Cancel",
    failedTitle: "Payment unsuccessful",
    reason51: "Your account does not have enough money for this payment.",
    cancelledTitle: "You cancelled the payment",
    reason24: "You cancelled the transaction on the payment gateway's page.",
    code: (c: string) => `Gateway response code: ${c}`,
    retry: "Try the payment again",
    back: (code: string) => `Back to dossier ${code}`,
  },
} as const;

const VIEWPORTS = { 360: { width: 360, height: 740 }, 1366: { width: 1366, height: 768 } } as const;

async function expectNoHorizontalScroll(page: Page) {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
  expect(scrollWidth, `page scrolls horizontally at ${innerWidth} px: ${page.url()}`).toBeLessThanOrEqual(innerWidth);
}

/** Fills a seeded procedure's form (in Vietnamese, as support.ts does) and continues to the check-answers page. */
async function toCheckPage(page: Page, code: string, delivery: "counter" | "online" | "post" | null, register: boolean) {
  const def = seededForm(code);
  await page.goto(`/procedures/${code}/apply`);
  if (register) await registerCitizen(page);
  await fillForm(page, def, delivery ? deliveryAnswer(def, delivery) : {});
  await page.getByRole("button", { name: "Tiếp tục" }).click();
  await expect(page.getByRole("heading", { name: TEXT.vi.checkTitle })).toBeVisible();
}

/** The language switch in the header (a plain form post, so it works without JavaScript too). */
async function chooseLanguage(page: Page, lang: Lang) {
  const button = page.getByRole("button", { name: TEXT[lang].language, exact: true });
  if ((await button.getAttribute("aria-pressed")) === "true") return;
  await button.click();
  await expect(button).toHaveAttribute("aria-pressed", "true");
}

/** The fee plan's table: a row's value by its header. */
const planRow = (page: Page, lang: Lang, header: string) =>
  page
    .getByRole("table", { name: TEXT[lang].planTitle })
    .getByRole("row")
    .filter({ has: page.getByRole("rowheader", { name: header, exact: true }) });

/** At the gateway simulator: pays with a failing outcome, or cancels. */
async function failAtGateway(page: Page, lang: Lang, outcome: "51" | "24") {
  const x = TEXT[lang];
  await expect(page.getByRole("heading", { name: x.gatewayTitle, exact: true })).toBeVisible();
  await page.getByLabel(x.bank, { exact: true }).check();
  if (outcome === "24") {
    await page.getByRole("button", { name: x.cancel, exact: true }).click();
    return;
  }
  await page.getByLabel(x.outcome51, { exact: true }).check();
  await page.getByLabel(x.sendNow, { exact: true }).check();
  await page.getByRole("button", { name: x.pay, exact: true }).click();
}

for (const width of [360, 1366] as const) {
  for (const lang of ["vi", "en"] as const) {
    test.describe(`${width} px, ${lang}`, () => {
      test.use({ viewport: VIEWPORTS[width] });
      const x = TEXT[lang];

      test("the fee before submitting, the printed receipt, a failed and a cancelled payment with 'try again'", async ({ page }) => {
        // 1. Check answers: what will be paid (fee, postage by post, total) and how, before submitting.
        await toCheckPage(page, CRIMINAL_RECORD, "post", true);
        await chooseLanguage(page, lang);
        await expect(page.getByRole("heading", { name: x.checkTitle })).toBeVisible();
        await expect(page.getByRole("heading", { name: x.planTitle })).toBeVisible();
        await expect(planRow(page, lang, x.fee)).toContainText(lang === "vi" ? "200.000 ₫" : "₫200,000");
        await expect(planRow(page, lang, x.postage)).toContainText(lang === "vi" ? "25.000 ₫" : "₫25,000");
        await expect(planRow(page, lang, x.total)).toContainText(lang === "vi" ? "225.000 ₫" : "₫225,000");
        await expect(page.getByText(x.online)).toBeVisible();
        await expectNoHorizontalScroll(page);
        await expectAccessible(page);
        await page.getByRole("button", { name: x.submit }).click();
        await expect(page.getByRole("heading", { name: x.submitted })).toBeVisible();
        const code = (await page.locator(".panel__code").textContent())?.trim() ?? "";
        expect(code).toMatch(/^\d{6}-[A-Z0-9]{6}-[A-Z0-9]$/);

        // 2. The receipt page printed: no pay button, header, language switch or action links; code, QR and fee stay.
        const payButton = page.getByRole("button", { name: x.payButton("225.000") });
        const nav = page.getByRole("navigation", { name: x.nav });
        const languageButton = page.getByRole("button", { name: x.language, exact: true });
        const pdfLink = page.getByRole("link", { name: x.pdf });
        const qr = page.getByRole("img", { name: x.qr(code) });
        const standing = page.getByRole("definition").filter({ hasText: x.standing });
        for (const shown of [payButton, nav, languageButton, pdfLink, qr, standing]) await expect(shown).toBeVisible();
        await expectNoHorizontalScroll(page);
        await expectAccessible(page);
        await page.emulateMedia({ media: "print" });
        for (const hidden of [payButton, nav, languageButton, pdfLink]) await expect(hidden).toBeHidden();
        await expect(page.getByText(code, { exact: true }).first()).toBeVisible();
        await expect(qr).toBeVisible();
        await expect(standing).toBeVisible();
        await expect(page.getByRole("heading", { name: lang === "vi" ? "Phí, lệ phí và thanh toán" : "Fees and payment" })).toBeVisible();
        await page.screenshot({ path: `test-results/ux-receipt-payment/receipt-print-${width}-${lang}.png`, fullPage: true });
        await page.emulateMedia({ media: "screen" });
        await expect(payButton).toBeVisible();

        // 3. A payment refused for insufficient funds (51): the reason, as an error, and "try again".
        await payButton.click();
        await failAtGateway(page, lang, "51");
        const alert = page.getByRole("alert");
        await expect(alert.getByRole("heading", { level: 1, name: x.failedTitle })).toBeVisible();
        await expect(alert).toContainText(x.reason51);
        await expect(alert).toContainText(x.code("51"));
        await expect(page.getByRole("status")).toHaveCount(0);
        await expectNoHorizontalScroll(page);
        await expectAccessible(page);
        await page.getByRole("button", { name: x.retry }).click();
        // A fresh transaction: the gateway offers to pay, rather than "already processed".
        await expect(page.getByRole("heading", { name: x.gatewayTitle, exact: true })).toBeVisible();
        await expect(page.getByRole("button", { name: x.pay, exact: true })).toBeVisible();

        // 4. Cancelled at the gateway (24): said so, and "try again" leads back to the gateway.
        await failAtGateway(page, lang, "24");
        await expect(page.getByRole("alert").getByRole("heading", { level: 1, name: x.cancelledTitle })).toBeVisible();
        await expect(page.getByRole("alert")).toContainText(x.reason24);
        await expect(page.getByRole("link", { name: x.back(code) })).toBeVisible();
        await page.getByRole("button", { name: x.retry }).click();
        await expect(page.getByRole("button", { name: x.pay, exact: true })).toBeVisible();
      });
    });
  }
}

test.describe("the fee plan for each way of paying (1366 px)", () => {
  test.use({ viewport: VIEWPORTS[1366] });

  test("level 4 asked on the page (postage only by post), level 3 at the counter, and free — vi and en", async ({ page }) => {
    await toCheckPage(page, LEVEL4_ASKED, null, true);
    await expect(planRow(page, "vi", "Cước gửi kết quả qua bưu chính (chỉ khi nhận qua bưu chính)")).toContainText("25.000 ₫");
    await expect(planRow(page, "vi", TEXT.vi.total)).toContainText("15.000 ₫; nếu nhận qua bưu chính: 40.000 ₫");
    await expect(page.getByText(TEXT.vi.online)).toBeVisible();
    await chooseLanguage(page, "en");
    await expect(planRow(page, "en", "Postage for sending the result (only if you receive it by post)")).toContainText("₫25,000");
    await expect(planRow(page, "en", "Total")).toContainText("₫15,000; ₫40,000 if you receive the result by post");
    await expectAccessible(page);
    await chooseLanguage(page, "vi");

    await toCheckPage(page, LEVEL3_FEE, null, false);
    await expect(planRow(page, "vi", TEXT.vi.fee)).toContainText("15.000 ₫");
    await expect(planRow(page, "vi", TEXT.vi.postage)).toHaveCount(0);
    await expect(page.getByText("Bạn nộp tại bộ phận một cửa của cơ quan giải quyết; không thanh toán trực tuyến khi nộp hồ sơ.")).toBeVisible();
    await chooseLanguage(page, "en");
    await expect(page.getByText("You pay at the handling agency's one-stop counter; nothing is paid online when you submit.")).toBeVisible();
    await chooseLanguage(page, "vi");

    await toCheckPage(page, LEVEL3_FREE, null, false);
    await expect(planRow(page, "vi", TEXT.vi.fee)).toContainText("Miễn phí");
    await expect(page.getByText("Thủ tục này không thu phí, lệ phí: bạn không phải thanh toán.")).toBeVisible();
    await chooseLanguage(page, "en");
    await expect(planRow(page, "en", "Fee")).toContainText("None (free)");
    await expect(page.getByText("This procedure has no fee: you pay nothing.")).toBeVisible();
    await expectAccessible(page);
  });
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });
  for (const [width, lang] of [
    [360, "vi"],
    [1366, "en"],
  ] as const) {
    test(`${width} px, ${lang}: a failed payment says why and 'try again' reaches the gateway`, async ({ page }) => {
      await page.setViewportSize(VIEWPORTS[width]);
      const x = TEXT[lang];
      await toCheckPage(page, CRIMINAL_RECORD, "online", true);
      await chooseLanguage(page, lang);
      await expect(planRow(page, lang, x.total)).toContainText(lang === "vi" ? "200.000 ₫" : "₫200,000");
      await page.getByRole("button", { name: x.submit }).click();
      await expect(page.getByRole("heading", { name: x.submitted })).toBeVisible();
      await page.getByRole("button", { name: x.payButton("200.000") }).click();
      await failAtGateway(page, lang, "51");
      await expect(page.getByRole("alert").getByRole("heading", { level: 1, name: x.failedTitle })).toBeVisible();
      await expect(page.getByRole("alert")).toContainText(x.reason51);
      await expectNoHorizontalScroll(page);
      await expectAccessible(page, false);
      await page.getByRole("button", { name: x.retry }).click();
      await expect(page.getByRole("heading", { name: x.gatewayTitle, exact: true })).toBeVisible();
      await expect(page.getByRole("button", { name: x.pay, exact: true })).toBeVisible();
    });
  }
});
