import { expect, test, type Browser, type Page } from "@playwright/test";
import { applyAndSubmit, expectAccessible, fillForm, fillResultFields, officerAct, officerConfirms, seededForm, seededResultFields, signIn } from "./support";

// Đăng ký khai sinh: level 4, free, handled by the Hoàn Kiếm ward (seeded officer below).
const BIRTH = "1.001193";
const OFFICER = "can.bo.hoankiem@example.vn";

test.describe.configure({ timeout: 180_000 });

async function newPage(browser: Browser, baseURL: string | undefined): Promise<Page> {
  const context = await browser.newContext({ baseURL });
  return context.newPage();
}

test("submit → receive → supplement on one field → citizen fixes it → process → result → returned, seen in tracking and the outbox", async ({
  page,
  browser,
  baseURL,
}) => {
  const code = await applyAndSubmit(page, BIRTH, "counter");

  const officer = await newPage(browser, baseURL);
  await signIn(officer, OFFICER, "CanBo@2026");
  await officer.goto("/officer");
  await officer.getByLabel("Tìm kiếm").fill(code);
  await officer.getByRole("button", { name: "Lọc hồ sơ" }).click();
  await officer.getByRole("link", { name: code }).click();
  await expect(officer.getByRole("heading", { name: `Xử lý hồ sơ ${code}` })).toBeVisible();
  await expectAccessible(officer);
  await officerAct(officer, "Tiếp nhận hồ sơ");

  // Ask for exactly one field, the phone number.
  const request = officer.locator("form", { has: officer.getByRole("button", { name: "Yêu cầu bổ sung", exact: true }) });
  await request.getByRole("group", { name: "Thông tin người nộp" }).getByLabel("Số điện thoại", { exact: true }).check();
  await request.getByLabel("Lời nhắn cho công dân (nêu rõ cần sửa gì)").fill("Số điện thoại không liên lạc được, xin ghi lại số đúng.");
  await officerAct(officer, "Yêu cầu bổ sung");
  await expect(officer.getByText("Đang chờ công dân bổ sung")).toBeVisible();

  // The citizen sees the request and can change only that field.
  await page.goto(`/applications/${code}`);
  await expect(page.getByRole("heading", { name: "Hồ sơ cần bổ sung" })).toBeVisible();
  await expect(page.getByText("Số điện thoại không liên lạc được, xin ghi lại số đúng.")).toBeVisible();
  await expectAccessible(page);
  await page.getByRole("link", { name: "Bổ sung hồ sơ" }).click();
  await expect(page.getByRole("heading", { name: "Bổ sung hồ sơ" })).toBeVisible();
  await expect(page.getByLabel("Họ, chữ đệm và tên", { exact: true })).toHaveCount(0);
  await page.getByLabel("Số điện thoại", { exact: true }).fill("0987654321");
  await expectAccessible(page);
  await page.getByRole("button", { name: "Gửi bổ sung" }).click();
  await expect(page.getByText("Đã gửi bổ sung. Cơ quan tiếp tục giải quyết hồ sơ.")).toBeVisible();

  // Back with the officer: processing again, with the new number; then the result, then handed over.
  await officer.reload();
  await expect(officer.getByText(/Công dân đã bổ sung lúc/)).toBeVisible();
  await officer.getByRole("button", { name: "Xem hồ sơ đầy đủ (được ghi nhật ký)" }).click();
  await expect(officer.getByText("0987654321").first()).toBeVisible();
  // The result needs its content, entered on its own confirmation page; the hand-over is confirmed too.
  await officerConfirms(officer, "Trả kết quả (có kết quả)", "Ký và trả kết quả", (p) =>
    fillResultFields(p, seededResultFields(BIRTH), { certificate_number: "88/2026" }),
  );
  await expect(officer.getByRole("region", { name: "Kết quả đã trả" }).getByText("88/2026", { exact: true })).toBeVisible();
  await officerConfirms(officer, "Đã trao kết quả", "Xác nhận đã trao kết quả");
  await expect(officer.getByText("Trước hạn").or(officer.getByText("Đúng hạn"))).toBeVisible();
  await officer.context().close();

  // Public tracking shows every step.
  const visitor = await newPage(browser, baseURL);
  await visitor.goto(`/track?code=${code}`);
  await visitor.getByLabel(/Số điện thoại hoặc 4 số cuối/).fill("0987654321");
  await visitor.getByRole("button", { name: "Tra cứu" }).click();
  const timeline = visitor.locator("ol.timeline").last();
  for (const step of ["Mới nộp, chờ tiếp nhận", "Đã tiếp nhận", "Yêu cầu bổ sung hồ sơ", "Đang xử lý", "Đã có kết quả", "Đã trả kết quả"]) {
    await expect(timeline.getByText(step, { exact: true })).toBeVisible();
  }
  await visitor.context().close();

  // The outbox (development sink) has the citizen's messages for this dossier.
  const admin = await newPage(browser, baseURL);
  await signIn(admin, "quan.tri@example.vn", "QuanTri@2026");
  await admin.goto(`/admin/outbox?code=${code}`);
  await expectAccessible(admin);
  const table = admin.getByRole("table");
  for (const subject of [
    `Đã nhận hồ sơ trực tuyến ${code}`,
    `Hồ sơ ${code} đã được tiếp nhận`,
    `Yêu cầu bổ sung hồ sơ ${code}`,
    `Đã có kết quả hồ sơ ${code}`,
    `Đã trả kết quả hồ sơ ${code}`,
  ]) {
    await expect(table.getByText(subject, { exact: false }).first()).toBeVisible();
  }
  await admin.context().close();
});

test("counter intake and assisted submission keep their own channels", async ({ browser, baseURL }) => {
  const officer = await newPage(browser, baseURL);
  await signIn(officer, OFFICER, "CanBo@2026");
  const def = seededForm(BIRTH);
  const codes: Record<string, string> = {};
  for (const [channel, label, pageHeading] of [
    ["counter", "Trực tiếp tại bộ phận một cửa (hồ sơ giấy)", "Tiếp nhận hồ sơ trực tiếp"],
    ["assisted", "Trực tuyến, cán bộ nộp thay công dân", "Nộp trực tuyến thay công dân"],
  ] as const) {
    await officer.goto("/officer");
    await officer.getByRole("link", { name: "Tiếp nhận hồ sơ cho công dân" }).click();
    await officer.getByLabel(label).check();
    await officer.getByLabel("Thủ tục").selectOption(BIRTH);
    await expectAccessible(officer);
    await officer.getByRole("button", { name: "Tiếp tục" }).click();
    await expect(officer.getByRole("heading", { name: pageHeading })).toBeVisible();
    await fillForm(officer, def, { applicant_phone: channel === "counter" ? "0911222333" : "0911222444" });
    if (channel === "counter") await officer.getByLabel("Tôi đã kiểm tra bản chính giấy tờ công dân nộp").check();
    await expectAccessible(officer);
    await officer.getByRole("button", { name: "Tiếp nhận hồ sơ", exact: true }).click();
    await expect(officer.getByText("Đã tiếp nhận hồ sơ. Đưa mã hồ sơ và giấy hẹn cho công dân.")).toBeVisible();
    const heading = (await officer.getByRole("heading", { level: 1 }).textContent()) ?? "";
    codes[channel] = heading.replace("Xử lý hồ sơ ", "").trim();
    await expect(officer.getByText(channel === "counter" ? "Trực tiếp tại bộ phận một cửa" : "Trực tuyến do cán bộ nộp thay", { exact: true })).toBeVisible();
    // At the counter the dossier is received on the spot; assisted ones wait in the queue.
    await expect(officer.getByText(channel === "counter" ? "Đã tiếp nhận" : "Mới nộp, chờ tiếp nhận", { exact: true }).first()).toBeVisible();
  }

  // The queue's channel filter keeps them apart.
  await officer.goto("/officer?channel=counter&status=all");
  await expect(officer.getByRole("link", { name: codes.counter })).toBeVisible();
  await expect(officer.getByRole("link", { name: codes.assisted })).toHaveCount(0);
  await officer.goto("/officer?channel=assisted&status=all");
  await expect(officer.getByRole("link", { name: codes.assisted })).toBeVisible();
  await expect(officer.getByRole("link", { name: codes.counter })).toHaveCount(0);
  await expectAccessible(officer);
  await officer.context().close();
});
