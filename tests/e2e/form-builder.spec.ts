import { expect, test, type Page } from "@playwright/test";
import Database from "better-sqlite3";
import path from "node:path";
import * as z from "zod";
import { expectAccessible, registerCitizen, signIn } from "./support";

/**
 * Issue 16, the form builder: an agency administrator builds the online form of a procedure that has
 * none — a question, a field shown only for one answer, a repeating group and a fee per copy — with
 * the builder's plain forms, previews it as a citizen with JavaScript and without, and publishes it.
 * Controls are found by their roles and labels, as a person finds them.
 */
const CODE = "2.001263"; // Registration of domestic adoption, Ba Đình ward (Hà Nội): no online form; fee 400.000 đ
const ADMIN = { email: "quan.tri.hanoi@example.vn", password: "QuanTri@2026" };

/** In the whole form's view: adds a field of a type to section 1 and lands on its editor. */
async function addField(page: Page, type: string) {
  await page.getByLabel("Loại trường mới cho phần 1").selectOption({ label: type });
  await post(page, "Thêm trường vào phần 1");
  await expect(page.getByRole("heading", { name: /^Trường: / })).toBeVisible();
}

/** In a field's editor: its technical name and Vietnamese/English label. */
async function nameField(page: Page, name: string, vi: string, en: string) {
  await page.getByLabel("Tên kỹ thuật").fill(name);
  const label = page.getByRole("group", { name: "Nhãn", exact: true });
  await label.getByLabel("Tiếng Việt").fill(vi);
  await label.getByLabel("Tiếng Anh").fill(en);
}

/** Presses a button that posts to the builder and waits for the server to have accepted it. */
async function post(page: Page, button: string) {
  const answered = page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname.startsWith("/admin/forms/"));
  await page.getByRole("button", { name: button }).click();
  expect((await answered).status(), `"${button}"`).toBeLessThan(400);
  await expect(page.getByRole("status")).toHaveText("Đã lưu bản nháp.");
}

async function saveField(page: Page) {
  await post(page, "Lưu trường");
}

async function backToForm(page: Page) {
  await page.getByRole("link", { name: "Quay lại toàn bộ biểu mẫu" }).click();
  await expect(page.getByRole("heading", { name: "Xuất bản" })).toBeVisible();
}

/** The dossiers submitted on the procedure, read from the e2e server's database as an auditor would. */
function submittedDossiers(code: string) {
  const file = new Database(path.resolve("test-results/e2e-data/portal.db"), { readonly: true, fileMustExist: true });
  try {
    const rows = file
      .prepare(
        "select d.receipt_code, d.answers, d.fee_vnd, d.form_version from dossiers d join procedures p on p.id = d.procedure_id where p.code = ? and d.receipt_code is not null order by d.id",
      )
      .all(code);
    return z.array(z.object({ receipt_code: z.string(), answers: z.string(), fee_vnd: z.number().nullable(), form_version: z.number() })).parse(rows);
  } finally {
    file.close();
  }
}

test("an administrator builds a form with a condition, a repeating group and a fee, previews it with and without JavaScript, and publishes it; citizens apply on it with JavaScript and without", async ({
  page,
  browser,
  baseURL,
}) => {
  test.setTimeout(180_000);
  await signIn(page, ADMIN.email, ADMIN.password);
  await page.goto("/admin");
  await page.getByRole("navigation", { name: "Khu vực quản trị" }).getByRole("link", { name: "Biểu mẫu trực tuyến" }).click();
  await page.getByLabel("Mã hoặc tên thủ tục").fill(CODE);
  await page.getByRole("button", { name: "Tìm" }).click();
  const row = page.getByRole("row", { name: new RegExp(CODE.replace(".", "\\.")) });
  await expect(row.getByRole("cell", { name: "Chưa có" })).toBeVisible();
  await row.getByRole("link", { name: `Mở biểu mẫu của thủ tục ${CODE}` }).click();
  await page.getByRole("button", { name: "Bắt đầu soạn bản nháp" }).click();
  await expectAccessible(page);

  // A question with two answers (a new choice starts with "Có" and "Không").
  await addField(page, "Chọn một");
  await nameField(page, "has_father", "Có thông tin người cha không?", "Is the father known?");
  await saveField(page);
  await backToForm(page);

  // The father's name, shown only when the answer is "Có": a simple condition.
  await addField(page, "Văn bản ngắn");
  await nameField(page, "father_name", "Họ tên người cha", "Father's full name");
  const shown = page.getByRole("group", { name: "Trường này hiện khi nào?" });
  await shown.getByLabel("Khi một điều kiện đúng").check();
  await shown.getByLabel("Trường", { exact: true }).selectOption({ label: "Có thông tin người cha không? (has_father)" });
  await shown.getByLabel("Điều kiện", { exact: true }).selectOption({ label: "bằng" });
  await shown.getByLabel("Giá trị", { exact: true }).fill("co");
  await saveField(page);
  await expectAccessible(page);
  await backToForm(page);

  // A repeating group of the household's members, each with a name.
  await addField(page, "Nhóm lặp lại");
  await nameField(page, "members", "Thành viên gia đình", "Family members");
  await page.getByRole("group", { name: "Tên của mỗi dòng (ví dụ “Thành viên”)" }).getByLabel("Tiếng Việt (không bắt buộc)").fill("Thành viên");
  await page.getByLabel("Loại trường mới trong nhóm").selectOption({ label: "Văn bản ngắn" });
  await post(page, "Thêm trường vào nhóm");
  await expect(page.getByRole("heading", { name: "Trường: text_1" })).toBeVisible();
  await nameField(page, "member_name", "Họ tên thành viên", "Member's full name");
  await saveField(page);
  await page.getByRole("link", { name: "Quay lại nhóm “Thành viên gia đình”" }).click();
  await expect(page.getByRole("link", { name: "Sửa trường Họ tên thành viên" })).toBeVisible();
  await backToForm(page);

  // The number of copies, and the fee: 5.000 đ for each copy from the second.
  await addField(page, "Số");
  await nameField(page, "copies", "Số bản sao", "Number of copies");
  await page.getByLabel("Giá trị nhỏ nhất").fill("1");
  await saveField(page);
  await backToForm(page);
  await page.getByLabel("Lệ phí của thủ tục, cộng đơn giá cho mỗi đơn vị của một trường số").check();
  await page.getByLabel("Trường số (ví dụ số bản sao)").selectOption({ label: "Số bản sao (copies)" });
  await page.getByLabel("Đơn giá (đồng)").fill("5000");
  await page.getByLabel("Tính từ đơn vị thứ").fill("2");
  await post(page, "Lưu cách tính lệ phí");
  await expect(page.getByText("Bản nháp đã sẵn sàng để xuất bản.", { exact: false })).toBeVisible();
  await expectAccessible(page);

  // Preview with JavaScript: the father's name appears as soon as the answer says there is one.
  await page.getByRole("link", { name: "Xem trước có JavaScript" }).click();
  await expect(page.getByText("Xem trước bản nháp, có JavaScript")).toBeVisible();
  await expect(page.getByLabel("Họ tên người cha")).toHaveCount(0);
  await page.getByLabel("Có", { exact: true }).check();
  await expect(page.getByLabel("Họ tên người cha")).toBeVisible();
  await page.getByLabel("Họ tên người cha").fill("Nguyễn Văn An");
  await page.getByRole("group", { name: "Thành viên 1" }).getByLabel("Họ tên thành viên").fill("Nguyễn Thị Bình");
  await page.getByRole("button", { name: "Thêm Thành viên" }).click();
  await page.getByRole("group", { name: "Thành viên 2" }).getByLabel("Họ tên thành viên").fill("Nguyễn Văn Cường");
  await page.getByLabel("Số bản sao").fill("3");
  await page.getByRole("button", { name: "Tiếp tục" }).click();
  await expect(page.getByRole("status")).toContainText("Các câu trả lời hợp lệ. Lệ phí phải nộp: 410.000");
  await expectAccessible(page);

  // Preview without JavaScript: the page comes without a script; the father's name is asked after "Continue".
  await page.getByRole("link", { name: "Xem trước không có JavaScript" }).click();
  await expect(page.getByText("Xem trước bản nháp, không có JavaScript")).toBeVisible();
  await expect(page.locator("script")).toHaveCount(0);
  await page.getByLabel("Có", { exact: true }).check();
  await expect(page.getByLabel("Họ tên người cha")).toHaveCount(0);
  await page.getByRole("group", { name: "Thành viên 1" }).getByLabel("Họ tên thành viên").fill("Nguyễn Thị Bình");
  await page.getByLabel("Số bản sao").fill("1");
  await page.getByRole("button", { name: "Tiếp tục" }).click();
  await expect(page.getByRole("alert").getByRole("link", { name: /^Họ tên người cha:/ })).toBeVisible();
  await page.getByLabel("Họ tên người cha").fill("Nguyễn Văn An");
  await page.getByRole("button", { name: "Tiếp tục" }).click();
  await expect(page.getByRole("status")).toContainText("Các câu trả lời hợp lệ. Lệ phí phải nộp: 400.000");
  await expectAccessible(page, false);

  // Published: the draft is closed and the list shows the new version.
  await page.getByRole("link", { name: "Quay lại soạn biểu mẫu" }).click();
  await page.getByRole("button", { name: "Xuất bản biểu mẫu" }).click();
  await expect(page.getByRole("status")).toHaveText("Đã xuất bản biểu mẫu.");
  await page.goto(`/admin/forms?q=${CODE}`);
  await expect(page.getByRole("row", { name: new RegExp(CODE.replace(".", "\\.")) }).getByRole("cell", { name: "Phiên bản 1" })).toBeVisible();

  // Citizens apply on the published form, with JavaScript and without: the father's name is not
  // asked when there is no father, two members are given, and the fee shown before submitting
  // (400.000 đ and 5.000 đ for each copy from the second) is the one the dossier is charged.
  for (const javaScript of [true, false]) {
    const context = await browser.newContext({ javaScriptEnabled: javaScript, baseURL });
    const citizen = await context.newPage();
    await citizen.goto(`/procedures/${CODE}/apply`);
    await registerCitizen(citizen, javaScript ? "Lê Thị Mai" : "Trần Văn Hùng");
    await citizen.getByLabel("Không", { exact: true }).check();
    const member = (n: number) => citizen.getByRole("group", { name: `Thành viên ${n}`, exact: true });
    await member(1).getByLabel("Họ tên thành viên").fill("Nguyễn Thị Bình");
    await citizen.getByRole("button", { name: "Thêm Thành viên" }).click();
    await member(2).getByLabel("Họ tên thành viên").fill("Nguyễn Văn Cường");
    await citizen.getByLabel("Số bản sao").fill("3");
    await citizen.getByRole("button", { name: "Tiếp tục" }).click();
    await expect(citizen.getByRole("heading", { name: "Kiểm tra thông tin trước khi nộp" })).toBeVisible();
    await expect(citizen.getByText("Nguyễn Văn Cường")).toBeVisible();
    await expect(citizen.getByText("Họ tên người cha")).toHaveCount(0);
    await expect(citizen.getByText(/410\.000/).first()).toBeVisible();
    await expectAccessible(citizen, javaScript);
    await citizen.getByRole("button", { name: "Nộp hồ sơ" }).click();
    await expect(citizen.getByRole("heading", { name: "Đã nộp hồ sơ" })).toBeVisible();
    await context.close();
  }
  const dossiers = submittedDossiers(CODE);
  expect(dossiers).toHaveLength(2);
  for (const dossier of dossiers) {
    expect(dossier.fee_vnd).toBe(410000);
    const answers = z
      .object({ members: z.array(z.object({ member_name: z.string() })) })
      .passthrough()
      .parse(JSON.parse(dossier.answers));
    expect(answers.members.map((m) => m.member_name)).toEqual(["Nguyễn Thị Bình", "Nguyễn Văn Cường"]);
    expect(answers).not.toHaveProperty("father_name");
  }
});

test("a field renamed in its editor keeps the condition that reads it working in the preview; the draft is discarded after a confirmation page that needs no script", async ({
  page,
  browser,
  baseURL,
}) => {
  test.setTimeout(120_000);
  const code = "2.002043"; // Hà Nội, Department of Finance: no online form
  await signIn(page, ADMIN.email, ADMIN.password);
  await page.goto(`/admin/forms/${code}`);
  await page.getByRole("button", { name: "Bắt đầu soạn bản nháp" }).click();
  await addField(page, "Chọn một");
  await nameField(page, "dang_ngung", "Doanh nghiệp đang tạm ngừng kinh doanh?", "Is the business suspended?");
  await saveField(page);
  await backToForm(page);
  await addField(page, "Văn bản ngắn");
  await nameField(page, "ly_do", "Lý do tạm ngừng", "Reason for the suspension");
  const shown = page.getByRole("group", { name: "Trường này hiện khi nào?" });
  await shown.getByLabel("Khi một điều kiện đúng").check();
  await shown.getByLabel("Trường", { exact: true }).selectOption({ label: "Doanh nghiệp đang tạm ngừng kinh doanh? (dang_ngung)" });
  await shown.getByLabel("Giá trị", { exact: true }).fill("co");
  await saveField(page);
  await backToForm(page);

  // Renamed in its own editor: a name another field has is refused, a new one is taken, and the condition follows it.
  await page.getByRole("link", { name: "Sửa trường Doanh nghiệp đang tạm ngừng kinh doanh?" }).click();
  await page.getByLabel("Tên kỹ thuật").fill("ly_do");
  await page.getByRole("button", { name: "Lưu trường" }).click();
  await expect(page.getByRole("alert").getByRole("link", { name: /Một trường khác của biểu mẫu đã có tên này/ })).toBeVisible();
  await page.getByLabel("Tên kỹ thuật").fill("tam_ngung");
  await saveField(page);
  await backToForm(page);
  await page.getByRole("link", { name: "Sửa trường Lý do tạm ngừng" }).click();
  await expect(page.getByRole("group", { name: "Trường này hiện khi nào?" }).getByLabel("Trường", { exact: true })).toHaveValue("tam_ngung");
  await backToForm(page);
  await expect(page.getByText("Bản nháp đã sẵn sàng để xuất bản.", { exact: false })).toBeVisible();
  await page.getByRole("link", { name: "Xem trước có JavaScript" }).click();
  await expect(page.getByLabel("Lý do tạm ngừng")).toHaveCount(0);
  await page.getByLabel("Có", { exact: true }).check();
  await expect(page.getByLabel("Lý do tạm ngừng")).toBeVisible();
  await page.getByLabel("Không", { exact: true }).check();
  await expect(page.getByLabel("Lý do tạm ngừng")).toHaveCount(0);

  // Discarded without JavaScript: a page asks first; "No" keeps the draft, "Yes" throws it away.
  const context = await browser.newContext({ javaScriptEnabled: false, baseURL });
  const admin = await context.newPage();
  await signIn(admin, ADMIN.email, ADMIN.password);
  await admin.goto(`/admin/forms/${code}`);
  await admin.getByRole("link", { name: "Bỏ bản nháp này…" }).click();
  await expect(admin.getByRole("heading", { name: "Bỏ bản nháp" })).toBeVisible();
  await expectAccessible(admin, false);
  await admin.getByRole("link", { name: "Không, giữ bản nháp" }).click();
  await expect(admin.getByRole("heading", { name: "Xuất bản" })).toBeVisible();
  await admin.getByRole("link", { name: "Bỏ bản nháp này…" }).click();
  await admin.getByRole("button", { name: "Có, bỏ bản nháp" }).click();
  await expect(admin.getByRole("status")).toHaveText("Đã bỏ bản nháp.");
  await expect(admin.getByText("Thủ tục này chưa có biểu mẫu trực tuyến.")).toBeVisible();
  await expect(admin.getByRole("button", { name: "Bắt đầu soạn bản nháp" })).toBeVisible();
  await context.close();

  // The list shows the procedure with neither a published form nor a draft.
  await page.goto(`/admin/forms?q=${code}`);
  const row = page.getByRole("row", { name: new RegExp(code.replace(".", "\\.")) });
  await expect(row.getByRole("cell", { name: "Chưa có" })).toBeVisible();
  await expect(row.getByRole("cell", { name: "Không có" })).toBeVisible();
});
