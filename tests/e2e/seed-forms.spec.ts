import { expect, test } from "@playwright/test";
import { allFields, localText } from "../../app/core/forms/definition";
import { formatDateInput } from "../../app/utils/format";
import { expectAccessible, fillForm, registerCitizen, seededForm } from "./support";

/**
 * Issue 16, a seeded form with a repeating group as a citizen meets it: the household business
 * registration (1.001612) asks for the other founding household members only when a household founds
 * it, one row at first, another added with "Thêm Thành viên"; both rows reach the check page. With
 * JavaScript the rows appear as the answer changes; without it, after "Save draft". A row added and
 * removed again leaves the others as they were; a row's error is named by its row and links to its box.
 */
const CODE = "1.001612";
const def = seededForm(CODE);
const ownerType = allFields(def).find((f) => f.name === "owner_type");
const household = ownerType && "options" in ownerType ? ownerType.options?.find((o) => o.value === "ho_gia_dinh") : undefined;
if (!ownerType || !household) throw new Error("the household business form asks who founds it");

for (const javaScript of [true, false]) {
  test.describe(`JavaScript ${javaScript ? "on" : "off"}`, () => {
    test.use({ javaScriptEnabled: javaScript });

    test("a household's founders are asked as rows, added and removed, a row's error named by its row, both rows on the check page", async ({ page }) => {
      test.setTimeout(120_000);
      await page.goto(`/procedures/${CODE}/apply`);
      await registerCitizen(page);
      const row = (n: number) => page.getByRole("group", { name: `Thành viên ${n}`, exact: true });
      // Not asked of someone founding it alone (nor before the question is answered).
      await expect(row(1)).toHaveCount(0);

      await page
        .getByRole("group", { name: localText(ownerType.label, "vi"), exact: true })
        .getByLabel(localText(household.label, "vi"), { exact: true })
        .check();
      if (!javaScript) await page.getByRole("button", { name: "Lưu nháp" }).click();
      await expect(row(1)).toBeVisible();
      await page.getByRole("button", { name: "Thêm Thành viên" }).click();
      await expect(row(2)).toBeVisible();
      await expectAccessible(page, javaScript);

      await fillForm(page, def, { owner_type: "ho_gia_dinh" });
      await row(2).getByLabel("Họ, chữ đệm và tên", { exact: true }).fill("Vũ Văn Nam");
      await row(2).getByLabel("Ngày, tháng, năm sinh", { exact: true }).fill(formatDateInput("1970-05-01"));
      await row(2).getByLabel("Số định danh cá nhân", { exact: true }).fill("001070012345");
      await row(2).getByLabel("Nơi cư trú", { exact: true }).fill("Số 3 phố Nguyễn Du, phường Kinh Bắc, Bắc Ninh");

      // A third row, removed again: the second keeps its own answers (with JavaScript the page is not reloaded).
      await page.getByRole("button", { name: "Thêm Thành viên" }).click();
      await expect(row(3)).toBeVisible();
      await page.getByRole("button", { name: "Xoá Thành viên 3" }).click();
      await expect(row(3)).toHaveCount(0);
      await expect(row(2).getByLabel("Họ, chữ đệm và tên", { exact: true })).toHaveValue("Vũ Văn Nam");

      // The second row's name left empty: the summary names it by its row and links to its box.
      await row(2).getByLabel("Họ, chữ đệm và tên", { exact: true }).fill("");
      await page.getByRole("button", { name: "Tiếp tục" }).click();
      const error = page.getByRole("alert").getByRole("link", { name: /^Thành viên 2 — Họ, chữ đệm và tên: / });
      await expect(error).toBeVisible();
      await expectAccessible(page, javaScript);
      await error.click();
      if (javaScript) await expect(row(2).getByLabel("Họ, chữ đệm và tên", { exact: true })).toBeFocused();
      await row(2).getByLabel("Họ, chữ đệm và tên", { exact: true }).fill("Vũ Văn Nam");
      await page.getByRole("button", { name: "Tiếp tục" }).click();

      await expect(page.getByRole("heading", { name: "Kiểm tra thông tin trước khi nộp" })).toBeVisible();
      await expect(page.getByText("Vũ Văn Nam")).toBeVisible();
      await expect(page.getByText("001070012345")).toBeVisible();
      await expectAccessible(page, javaScript);
    });
  });
}

test.describe("JavaScript on, the rows kept in the browser", () => {
  /**
   * With JavaScript the rows are react-hook-form's field array (answers-watch.tsx): "Add another" and
   * "Remove" change the page without a request, the new row's first box takes the focus, and removing a
   * middle row leaves the rows after it with their own answers, which then reach the server.
   */
  test("rows are added and removed without a round trip, and a middle row's removal keeps the others' answers", async ({ page }) => {
    test.setTimeout(120_000);
    await page.goto(`/procedures/${CODE}/apply`);
    await registerCitizen(page);
    const row = (n: number) => page.getByRole("group", { name: `Thành viên ${n}`, exact: true });
    const name = (n: number) => row(n).getByLabel("Họ, chữ đệm và tên", { exact: true });
    await page
      .getByRole("group", { name: localText(ownerType.label, "vi"), exact: true })
      .getByLabel(localText(household.label, "vi"), { exact: true })
      .check();
    await expect(row(1)).toBeVisible();
    await name(1).fill("Vũ Văn Nam");

    const posts: string[] = [];
    page.on("request", (request) => {
      if (request.method() === "POST") posts.push(request.url());
    });
    const add = page.getByRole("button", { name: "Thêm Thành viên" });
    await add.click();
    await expect(row(2)).toBeVisible();
    await expect(name(2)).toBeFocused();
    await page.keyboard.type("Lê Thị Hoa");
    await add.click();
    await expect(name(3)).toBeFocused();
    await page.keyboard.type("Trần Minh Quân");

    await page.getByRole("button", { name: "Xoá Thành viên 2" }).click();
    await expect(row(3)).toHaveCount(0);
    await expect(name(1)).toHaveValue("Vũ Văn Nam");
    await expect(name(2)).toHaveValue("Trần Minh Quân");
    // The focus goes to the row now in the removed one's place.
    await expect(name(2)).toBeFocused();
    expect(posts).toEqual([]);

    // What the browser kept is what the server stores: saved, the page comes back with the two rows.
    await page.getByRole("button", { name: "Lưu nháp" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Đã lưu bản nháp." })).toBeVisible();
    await expect(name(1)).toHaveValue("Vũ Văn Nam");
    await expect(name(2)).toHaveValue("Trần Minh Quân");
    await expect(row(3)).toHaveCount(0);
    await page.reload();
    await expect(name(2)).toHaveValue("Trần Minh Quân");
    await expectAccessible(page);
  });
});
