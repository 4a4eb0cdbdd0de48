import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";
import { allFields, FormDefinitionSchema, localText, type FormDefinition } from "../../app/core/forms/definition";
import procedures from "../../db/seed-data/procedures.json";
import { validAnswer } from "../fixtures/answers";
import { PDF_BYTES, PNG_BYTES } from "../fixtures/files";

export function seededForm(code: string): FormDefinition {
  const p = procedures.find((x) => x.code === code);
  if (!p || !("form" in p)) throw new Error(`no seeded form for ${code}`);
  return FormDefinitionSchema.parse(p.form);
}

/** Fails the test on any axe-core violation (WCAG 2.1 A/AA rules), listing them readably. */
export async function expectAccessible(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const summary = results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
  expect(summary, `axe violations on ${page.url()}`).toEqual([]);
}

let counter = 0;
/** Creates an account through the registration page, as a person would; ends signed in. */
export async function registerCitizen(page: Page, name = "Đỗ Thị Hạnh") {
  counter += 1;
  const email = `e2e-${process.pid}-${counter}-${Date.now()}@example.vn`;
  await page.getByRole("link", { name: "Đăng ký tài khoản công dân" }).click();
  await page.getByLabel("Họ và tên").fill(name);
  await page.getByLabel("Thư điện tử").fill(email);
  await page.getByLabel("Số điện thoại (không bắt buộc)").fill("0912 345 678");
  await page.getByLabel("Mật khẩu", { exact: true }).fill("mat-khau-rat-dai-2026");
  await page.getByLabel("Nhập lại mật khẩu").fill("mat-khau-rat-dai-2026");
  await page.getByRole("button", { name: "Tạo tài khoản" }).click();
  return email;
}

const fieldLabel = (def: FormDefinition, name: string) => {
  const f = allFields(def).find((x) => x.name === name);
  if (!f) throw new Error(`no field ${name}`);
  return localText(f.label, "vi") + (f.required ? "" : " (không bắt buộc)");
};

/** Fills every field of a seeded form by its visible label (Vietnamese), with valid answers unless overridden. */
export async function fillForm(page: Page, def: FormDefinition, overrides: Record<string, string> = {}) {
  for (const field of allFields(def)) {
    const label = fieldLabel(def, field.name);
    const value = overrides[field.name] ?? validAnswer(field);
    switch (field.type) {
      case "file": {
        const pdf = field.accept.includes("pdf");
        await page.getByLabel(label, { exact: true }).setInputFiles({ name: pdf ? "giay-to.pdf" : "anh.png", mimeType: pdf ? "application/pdf" : "image/png", buffer: Buffer.from(pdf ? PDF_BYTES : PNG_BYTES) });
        break;
      }
      case "radio":
      case "checkbox":
        if (field.options) {
          const option = field.options.find((o) => o.value === (Array.isArray(value) ? value[0] : value));
          if (option) await page.getByRole("group", { name: label }).getByLabel(localText(option.label, "vi"), { exact: true }).check();
        } else {
          await page.getByRole("checkbox", { name: label, exact: true }).check();
        }
        break;
      case "select":
        await page.getByLabel(label, { exact: true }).selectOption(String(value));
        break;
      default:
        await page.getByLabel(label, { exact: true }).fill(String(value ?? ""));
    }
  }
}

export { fieldLabel };
