import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import en from "../../locales/en/procedures-admin.json";
import vi from "../../locales/vi/procedures-admin.json";
import { DELIVERY_MODES } from "../../app/core/catalog/delivery";

const has = (tree: unknown, key: string): boolean => {
  let node: unknown = tree;
  for (const part of key.split(".")) {
    if (!node || typeof node !== "object" || !(part in node)) return false;
    node = Object.getOwnPropertyDescriptor(node, part)?.value;
  }
  return typeof node === "string" && node.trim() !== "";
};

describe("procedure administration translations", () => {
  it("have every proc_admin.errors key the code uses, the schema's and the rules' messages included", () => {
    const sources = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? sources(path.join(dir, e.name)) : /\.tsx?$/.test(e.name) && !e.name.endsWith(".test.ts") ? [path.join(dir, e.name)] : [],
      );
    const used = new Set(
      sources(path.resolve("app")).flatMap((file) => [...readFileSync(file, "utf8").matchAll(/"(proc_admin\.errors\.[a-z_0-9]+)"/g)].map((m) => m[1] ?? "")),
    );
    expect(used.size).toBeGreaterThan(10);
    for (const key of used) {
      expect(has(vi, key), `vi ${key}`).toBe(true);
      expect(has(en, key), `en ${key}`).toBe(true);
    }
  });

  it("name every delivery mode in the list's short form", () => {
    for (const mode of DELIVERY_MODES) expect(has(vi, `proc_admin.delivery_short.${mode}`), mode).toBe(true);
  });
});
