import { expect, test, type Browser, type Page } from "@playwright/test";
import { readFile } from "node:fs/promises";
import { PDFDocument, StandardFonts } from "pdf-lib";
import { PNG_BYTES } from "../fixtures/files";
import { pdfText } from "../fixtures/pdf-text";
import { applyAndSubmit, expectAccessible, fillResultFields, officerAct, seededResultFields, signIn } from "./support";

/**
 * Issue 12: officers issue real results, and irreversible moves are confirmed on their own page.
 * Officers work at 1366 px and on a 360 px phone, in Vietnamese and English, with JavaScript and without.
 */
const BIRTH = "1.001193"; // Đăng ký khai sinh: level 4, free, Hoàn Kiếm ward
const OFFICER = { email: "can.bo.hoankiem@example.vn", password: "CanBo@2026" };
const DESKTOP = { width: 1366, height: 768 };
const PHONE = { width: 360, height: 740 };
const NOT_RECEIVED = "Không được tiếp nhận";

test.describe.configure({ timeout: 240_000 });

async function officerPage(
  browser: Browser,
  baseURL: string | undefined,
  options: { viewport: { width: number; height: number }; javaScript: boolean; english?: boolean },
): Promise<Page> {
  const context = await browser.newContext({
    baseURL,
    viewport: options.viewport,
    javaScriptEnabled: options.javaScript,
    locale: "vi-VN",
    timezoneId: "Asia/Ho_Chi_Minh",
  });
  const page = await context.newPage();
  await signIn(page, OFFICER.email, OFFICER.password);
  if (options.english) {
    await page.getByRole("button", { name: "English" }).click();
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
  }
  return page;
}

async function expectNoHorizontalScroll(page: Page) {
  const widths = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, viewport: window.innerWidth }));
  expect(widths.page, `page ${widths.page} px wide in a ${widths.viewport} px window`).toBeLessThanOrEqual(widths.viewport);
}

/** Scroll width without running the page's scripts: measured in a scripting copy of the same HTML. */
async function expectNoHorizontalScrollWithoutJs(page: Page, browser: Browser) {
  const html = await page.content();
  const viewport = page.viewportSize() ?? PHONE;
  const scratch = await (await browser.newContext({ viewport, javaScriptEnabled: true })).newPage();
  await scratch.route("**/__measure", (route) =>
    route.fulfill({ body: html.replace(/<script\b[\s\S]*?<\/script>/gi, ""), contentType: "text/html; charset=utf-8" }),
  );
  await scratch.goto(new URL("/__measure", page.url()).toString());
  await expectNoHorizontalScroll(scratch);
  await scratch.context().close();
}

/** A citizen's birth registration, received and in processing by the officer (on the dossier page). */
async function dossierInProcessing(citizen: Page, officer: Page, delivery: "online" | "counter", names: { receive: string; start: string }) {
  const code = await applyAndSubmit(citizen, BIRTH, delivery);
  await officer.goto(`/officer/dossiers/${code}`);
  await officerAct(officer, names.receive);
  await officerAct(officer, names.start);
  return code;
}

async function downloadResult(citizen: Page, code: string, linkName = "Tải kết quả điện tử (PDF)") {
  await citizen.goto(`/applications/${code}`);
  const downloading = citizen.waitForEvent("download");
  await citizen.getByRole("link", { name: linkName }).click();
  const download = await downloading;
  return { bytes: new Uint8Array(await readFile(await download.path())), name: download.suggestedFilename() };
}

test.describe("at 1366 px, in Vietnamese, with JavaScript", () => {
  test.use({ viewport: DESKTOP });

  test("the result is issued from its fields: checked in the browser first, shown to the officer and the citizen, printed in the e-result", async ({
    page,
    browser,
    baseURL,
  }) => {
    const officer = await officerPage(browser, baseURL, { viewport: DESKTOP, javaScript: true });
    const code = await dossierInProcessing(page, officer, "online", { receive: "Tiếp nhận hồ sơ", start: "Bắt đầu xử lý" });

    // No one-click result any more: the dossier page links to the result's own page.
    await expect(officer.getByRole("button", { name: "Trả kết quả (có kết quả)" })).toHaveCount(0);
    await officer.getByRole("link", { name: "Trả kết quả (có kết quả)" }).click();
    await expect(officer.getByRole("heading", { level: 1, name: "Trả kết quả hồ sơ" })).toBeVisible();
    await expect(officer.getByText(`Hồ sơ ${code}`)).toBeVisible();
    await expect(
      officer.getByText("Kết quả được ký và ban hành; công dân được thông báo và tải được bản điện tử ngay. Không thể sửa sau khi trả."),
    ).toBeVisible();
    await expect(officer.getByText("Nguyễn Thị Hoa", { exact: true })).toBeVisible();
    await expectNoHorizontalScroll(officer);
    await expectAccessible(officer);

    // With JavaScript only the chosen way is shown.
    await expect(officer.getByLabel("Văn bản kết quả đã ký số (PDF)", { exact: true })).toBeHidden();
    await officer.getByLabel("Tải lên văn bản kết quả đã ký số (PDF)", { exact: true }).check();
    await expect(officer.getByLabel("Văn bản kết quả đã ký số (PDF)", { exact: true })).toBeVisible();
    await expect(officer.getByLabel("Số Giấy khai sinh", { exact: true })).toBeHidden();
    await officer.getByLabel("Điền nội dung kết quả (cổng tạo bản điện tử có mã xác thực)", { exact: true }).check();

    // Sent empty: the browser finds every missing field with the same schema, before any post.
    let posted = 0;
    officer.on("request", (r) => {
      if (r.method() === "POST") posted += 1;
    });
    await officer.getByRole("button", { name: "Ký và trả kết quả" }).click();
    const summary = officer.getByRole("alert");
    await expect(summary.getByRole("link", { name: "Số Giấy khai sinh: Mục này là bắt buộc" })).toBeVisible();
    await expect(summary.getByRole("link", { name: /^Số định danh cá nhân của trẻ:/ })).toBeVisible();
    await expect(summary.getByRole("link", { name: /^Ghi chú/ })).toHaveCount(0);
    expect(posted).toBe(0);
    await summary.getByRole("link", { name: "Số Giấy khai sinh: Mục này là bắt buộc" }).click();
    await expect(officer.getByLabel("Số Giấy khai sinh", { exact: true })).toBeFocused();
    await expectAccessible(officer);

    await fillResultFields(officer, seededResultFields(BIRTH), {
      certificate_number: "125/2026",
      register_book: "02",
      personal_id: "001226000125",
      notes: "Đăng ký đúng hạn.",
    });
    await officer.getByRole("button", { name: "Ký và trả kết quả" }).click();
    await expect(officer.getByText("Đã trả kết quả. Công dân đã được thông báo.")).toBeVisible();
    const issued = officer.getByRole("region", { name: "Kết quả đã trả" });
    await expect(issued.getByText("125/2026", { exact: true })).toBeVisible();
    await expect(issued.getByText("001226000125", { exact: true })).toBeVisible();
    await expect(officer.getByText("Đã có kết quả", { exact: true }).first()).toBeVisible();

    // The citizen sees what the result says, and the e-result PDF says it too.
    await page.goto(`/applications/${code}`);
    const result = page.getByRole("region", { name: "Kết quả giải quyết" });
    await expect(result.getByText("125/2026", { exact: true })).toBeVisible();
    await expect(result.getByText("Số Giấy khai sinh", { exact: true })).toBeVisible();
    const verification = ((await result.locator(".receipt-code").textContent()) ?? "").trim();
    expect(verification).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    const file = await downloadResult(page, code);
    const text = await pdfText(file.bytes);
    for (const line of [
      "Số Giấy khai sinh: 125/2026",
      "Quyển số (sổ đăng ký): 02",
      "Số định danh cá nhân của trẻ: 001226000125",
      `Mã xác thực: ${verification}`,
    ])
      expect(text, line).toContain(line);
    await officer.context().close();
  });
});

test.describe("on a 360 px phone, in English, without JavaScript", () => {
  test.use({ viewport: PHONE });

  test("the result is the signed PDF the officer uploads: a wrong file is refused, the citizen downloads that very file", async ({
    page,
    browser,
    baseURL,
  }) => {
    const officer = await officerPage(browser, baseURL, { viewport: PHONE, javaScript: false, english: true });
    const code = await dossierInProcessing(page, officer, "online", { receive: "Receive the dossier", start: "Start processing" });
    await officer.getByRole("link", { name: "Issue the result" }).click();
    await expect(officer.getByRole("heading", { level: 1, name: "Issue the result" })).toBeVisible();
    // Without JavaScript both ways are on the page; the choice says which counts.
    await expect(officer.getByLabel("Birth certificate number", { exact: true })).toBeVisible();
    await expect(officer.getByLabel("The signed result document (PDF)", { exact: true })).toBeVisible();
    await expectNoHorizontalScrollWithoutJs(officer, browser);
    await expectAccessible(officer, false);

    // A picture named .pdf is not a PDF: refused by its bytes, the choice kept.
    await officer.getByLabel("Upload the signed result document (PDF)", { exact: true }).check();
    await officer
      .getByLabel("The signed result document (PDF)", { exact: true })
      .setInputFiles({ name: "decision.pdf", mimeType: "application/pdf", buffer: Buffer.from(PNG_BYTES) });
    await officer.getByRole("button", { name: "Sign and issue the result" }).click();
    await expect(officer.getByRole("alert").getByRole("link", { name: /^The signed result document \(PDF\): / })).toBeVisible();
    await expect(officer.getByLabel("Upload the signed result document (PDF)", { exact: true })).toBeChecked();
    await expectAccessible(officer, false);

    const signed = await PDFDocument.create();
    signed.addPage().drawText("DECISION 99/QD-UBND, digitally signed", { font: await signed.embedFont(StandardFonts.Helvetica), x: 50, y: 700 });
    const bytes = await signed.save();
    await officer
      .getByLabel("The signed result document (PDF)", { exact: true })
      .setInputFiles({ name: "quyet-dinh-99.pdf", mimeType: "application/pdf", buffer: Buffer.from(bytes) });
    await officer.getByRole("button", { name: "Sign and issue the result" }).click();
    await expect(officer.getByText("The result was issued. The citizen has been told.")).toBeVisible();
    const issued = officer.getByRole("region", { name: "Result issued" });
    await expect(issued.getByText("quyet-dinh-99.pdf", { exact: true })).toBeVisible();
    await expectNoHorizontalScrollWithoutJs(officer, browser);

    const file = await downloadResult(page, code);
    expect(file.name).toBe("quyet-dinh-99.pdf");
    expect(Buffer.from(file.bytes).equals(Buffer.from(bytes))).toBe(true);
    await officer.context().close();
  });
});

for (const setup of [
  { title: "on a 360 px phone, in Vietnamese, without JavaScript", viewport: PHONE, javaScript: false, english: false },
  { title: "at 1366 px, in English, with JavaScript", viewport: DESKTOP, javaScript: true, english: true },
] as const) {
  test.describe(setup.title, () => {
    test.use({ viewport: setup.viewport });

    test("refusing a dossier is checked on its own page: cancel changes nothing, the reason is required, then it is refused", async ({
      page,
      browser,
      baseURL,
    }) => {
      const w = setup.english
        ? {
            link: "Refuse to receive",
            heading: "Refuse to receive this dossier?",
            warning: /The dossier will not be received/,
            reason: "Reason for refusing (the citizen will read it)",
            button: "Refuse the dossier",
            cancel: "Cancel and go back to the dossier",
            error: "This action needs a reason.",
            done: "The dossier was refused. The citizen has been told why.",
            dossier: /^Process dossier /,
          }
        : {
            link: "Từ chối tiếp nhận",
            heading: "Từ chối tiếp nhận hồ sơ này?",
            warning: /Hồ sơ sẽ không được tiếp nhận/,
            reason: "Lý do từ chối (công dân sẽ đọc)",
            button: "Từ chối tiếp nhận hồ sơ",
            cancel: "Hủy, quay lại hồ sơ",
            error: "Cần ghi lý do cho thao tác này.",
            done: "Đã từ chối tiếp nhận hồ sơ. Công dân đã được thông báo lý do.",
            dossier: /^Xử lý hồ sơ /,
          };
      const officer = await officerPage(browser, baseURL, { viewport: setup.viewport, javaScript: setup.javaScript, english: setup.english });
      const code = await applyAndSubmit(page, BIRTH, "counter");
      await officer.goto(`/officer/dossiers/${code}`);
      await expect(officer.getByRole("button", { name: w.link })).toHaveCount(0);

      await officer.getByRole("link", { name: w.link, exact: true }).click();
      await expect(officer.getByRole("heading", { level: 1, name: w.heading })).toBeVisible();
      await expect(officer.getByText(w.warning)).toBeVisible();
      if (setup.javaScript) await expectNoHorizontalScroll(officer);
      else await expectNoHorizontalScrollWithoutJs(officer, browser);
      await expectAccessible(officer, setup.javaScript);
      await officer.getByRole("link", { name: w.cancel }).click();
      await expect(officer.getByRole("heading", { level: 1, name: w.dossier })).toBeVisible();
      await expect(officer.getByRole("link", { name: w.link, exact: true })).toBeVisible();

      await officer.getByRole("link", { name: w.link, exact: true }).click();
      await officer.getByRole("button", { name: w.button }).click();
      await expect(officer.getByRole("alert").getByRole("link", { name: w.error })).toBeVisible();
      await expectAccessible(officer, setup.javaScript);
      await officer.getByLabel(w.reason, { exact: true }).fill("Hồ sơ không thuộc thẩm quyền của phường.");
      await officer.getByRole("button", { name: w.button }).click();
      await expect(officer.getByText(w.done)).toBeVisible();
      await expect(officer.getByRole("link", { name: w.link, exact: true })).toHaveCount(0);

      // The citizen's page says so.
      await page.goto(`/applications/${code}`);
      await expect(page.getByText(NOT_RECEIVED, { exact: true }).first()).toBeVisible();
      await officer.context().close();
    });
  });
}
