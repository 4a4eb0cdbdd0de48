import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve("locales");
const flatten = (value: unknown, prefix = ""): string[] =>
  value && typeof value === "object" && !Array.isArray(value) ? Object.entries(value).flatMap(([k, v]) => flatten(v, prefix ? `${prefix}.${k}` : k)) : [prefix];
const load = (lang: string, file: string): unknown => JSON.parse(readFileSync(path.join(root, lang, file), "utf8"));

describe("translations", () => {
  const files = readdirSync(path.join(root, "vi"));

  it("have the same files in vi and en", () => {
    expect(readdirSync(path.join(root, "en")).sort()).toEqual([...files].sort());
  });

  for (const file of files) {
    it(`${file}: every key exists in both languages`, () => {
      const vi = new Set(flatten(load("vi", file)));
      const en = new Set(flatten(load("en", file)));
      expect(
        [...vi].filter((k) => !en.has(k)),
        "only in vi",
      ).toEqual([]);
      expect(
        [...en].filter((k) => !vi.has(k)),
        "only in en",
      ).toEqual([]);
    });

    it(`${file}: no empty strings and the same {{placeholders}} in both languages`, () => {
      const vi = load("vi", file);
      const en = load("en", file);
      const get = (obj: unknown, key: string): unknown =>
        key.split(".").reduce<unknown>((o, k) => (o && typeof o === "object" ? (o as Record<string, unknown>)[k] : undefined), obj);
      for (const key of flatten(vi)) {
        const a = get(vi, key);
        const b = get(en, key);
        expect(typeof a === "string" && a.trim().length > 0, `vi ${key}`).toBe(true);
        expect(typeof b === "string" && b.trim().length > 0, `en ${key}`).toBe(true);
        const vars = (s: unknown) => (typeof s === "string" ? [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort() : []);
        expect(vars(b), `placeholders of ${key}`).toEqual(vars(a));
      }
    });
  }
});

describe("translation files", () => {
  it("are all loaded by the server, and no two files define the same top-level group", () => {
    const loader = readFileSync(path.resolve("app/server/platform/i18n.server.ts"), "utf8");
    const groups = new Map<string, string>();
    for (const file of readdirSync(path.join(root, "vi"))) {
      expect(loader, `${file} is not imported by app/server/platform/i18n.server.ts`).toContain(`locales/vi/${file}`);
      expect(loader).toContain(`locales/en/${file}`);
      const content = load("vi", file);
      for (const group of content && typeof content === "object" ? Object.keys(content) : []) {
        expect(groups.get(group), `group "${group}" in ${file} and ${groups.get(group)}`).toBeUndefined();
        groups.set(group, file);
      }
    }
  });
});

describe("keys used in the code", () => {
  const sources = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? sources(path.join(dir, e.name)) : /\.(ts|tsx)$/.test(e.name) && !e.name.endsWith(".test.ts") ? [path.join(dir, e.name)] : [],
    );
  const vi = new Set(readdirSync(path.join(root, "vi")).flatMap((f) => flatten(load("vi", f))));
  const has = (key: string) => vi.has(key) || vi.has(`${key}_one`) || vi.has(`${key}_other`);

  it('every literal t("…") key and every message key exists in the translations', () => {
    const missing: string[] = [];
    for (const file of sources(path.resolve("app"))) {
      const text = readFileSync(file, "utf8");
      const keys = [
        ...[...text.matchAll(/\bt\(\s*"([a-z_]+(?:\.[a-z_0-9]+)+)"/g)].map((m) => m[1]),
        ...[...text.matchAll(/"((?:form|auth|track|apply|pay|gateway|result|delivery|rating|officer)\.errors\.[a-z_]+)"/g)].map((m) => m[1]),
      ];
      for (const key of keys) if (key && !has(key)) missing.push(`${path.relative(".", file)}: ${key}`);
    }
    expect(missing).toEqual([]);
  });

  it("has a name for every status and delivery mode", async () => {
    const { STATUS } = await import("../../app/core/dossiers/status");
    const { DELIVERY_MODES } = await import("../../app/core/catalog/procedure");
    for (const name of Object.keys(STATUS)) expect(vi.has(`status.${name}`), name).toBe(true);
    for (const mode of DELIVERY_MODES) expect(vi.has(`delivery.${mode}`), mode).toBe(true);
  });
});
