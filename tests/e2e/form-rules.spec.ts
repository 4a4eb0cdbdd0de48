import { expect, test, type Page } from "@playwright/test";
import { allFields, localText } from "../../app/core/forms/definition";
import { expectAccessible, registerCitizen, seededForm } from "./support";

/**
 * Issue 16, fields that follow the answers, as a citizen meets them on the permanent-residence
 * registration (1.004222): the head of household's name and identification number, and their written
 * consent, are asked only of someone who is not the head. With JavaScript the form changes as the
 * answer changes; without it, after "Save draft" (or "Continue") the page comes back showing what the
 * answer asks for. Fields are found by their labels, as a person finds them.
 */
const CODE = "1.004222";
const def = seededForm(CODE);
const fieldOf = (name: string) => {
  const f = allFields(def).find((x) => x.name === name);
  if (!f) throw new Error(`no field ${name}`);
  return f;
};
const label = (name: string) => localText(fieldOf(name).label, "vi");
const option = (name: string, value: string) => {
  const f = fieldOf(name);
  const o = "options" in f ? f.options?.find((x) => x.value === value) : undefined;
  if (!o) throw new Error(`no option ${value} of ${name}`);
  return localText(o.label, "vi");
};
const HEAD_NAME = label("head_of_household_name");
const CONSENT = label("y_kien_chu_ho");

async function chooseRelationship(page: Page, value: string) {
  await page.getByLabel(label("relationship_to_head"), { exact: true }).selectOption({ label: option("relationship_to_head", value) });
}

for (const javaScript of [true, false]) {
  test.describe(`JavaScript ${javaScript ? "on" : "off"}`, () => {
    test.use({ javaScriptEnabled: javaScript });

    test("the head of household's details and consent are asked only of someone who is not the head", async ({ page }) => {
      // Applying asks to sign in first; the new account comes back to the form.
      await page.goto(`/procedures/${CODE}/apply`);
      await registerCitizen(page);
      // Not answered yet: the questions for someone living with the head are there.
      await expect(page.getByLabel(HEAD_NAME, { exact: true })).toBeVisible();

      await chooseRelationship(page, "chu_ho");
      if (!javaScript) await page.getByRole("button", { name: "Lưu nháp" }).click();
      await expect(page.getByLabel(HEAD_NAME, { exact: true })).toHaveCount(0);
      await expect(page.getByLabel(CONSENT, { exact: true })).toHaveCount(0);
      await expectAccessible(page, javaScript);

      await chooseRelationship(page, "con");
      if (!javaScript) await page.getByRole("button", { name: "Lưu nháp" }).click();
      await expect(page.getByLabel(HEAD_NAME, { exact: true })).toBeVisible();
      await expect(page.getByLabel(CONSENT, { exact: true })).toBeVisible();

      // Continue without them: each is named in the error summary.
      await page.getByRole("button", { name: "Tiếp tục" }).click();
      const summary = page.getByRole("alert");
      await expect(summary.getByRole("link", { name: new RegExp(`^${HEAD_NAME}:`) })).toBeVisible();
      await expect(summary.getByRole("link", { name: new RegExp(`^${CONSENT}:`) })).toBeVisible();
    });

    test("an answer that means 'not online' leads to a page saying why and where to go, and back to the form", async ({ page }) => {
      await page.goto(`/procedures/${CODE}/apply`);
      await registerCitizen(page);
      await page.getByLabel(label("housing_type"), { exact: true }).selectOption({ label: option("housing_type", "khac") });
      await page.getByRole("button", { name: "Tiếp tục" }).click();
      await expect(page.getByRole("heading", { level: 1, name: "Chưa thể nộp hồ sơ này trực tuyến" })).toBeVisible();
      await expect(page.getByRole("heading", { name: "Nơi nộp hồ sơ trực tiếp" })).toBeVisible();
      await expectAccessible(page, javaScript);
      await page.getByRole("link", { name: /Quay lại tờ khai/ }).click();
      // The draft kept the answer, to be changed.
      await expect(page.getByLabel(label("housing_type"), { exact: true })).toHaveValue("khac");
    });
  });
}
