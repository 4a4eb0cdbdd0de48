import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import en from "../../locales/en/admin.json";
import vi from "../../locales/vi/admin.json";
import { ROLES } from "../../app/core/auth/permissions";
import { EVENT_TYPES } from "../../app/server/statistics/events.server";

const has = (tree: unknown, key: string): boolean => {
  let node: unknown = tree;
  for (const part of key.split(".")) {
    if (!node || typeof node !== "object" || !(part in node)) return false;
    node = Object.getOwnPropertyDescriptor(node, part)?.value;
  }
  return typeof node === "string" && node.trim() !== "";
};

describe("administration translations", () => {
  it("name every event type and every role (shown in the audit trail and the staff list)", () => {
    for (const type of EVENT_TYPES) {
      expect(has(vi, `admin.event_types.${type}`), `vi ${type}`).toBe(true);
      expect(has(en, `admin.event_types.${type}`), `en ${type}`).toBe(true);
    }
    for (const role of [...ROLES, "system"]) expect(has(vi, `admin.roles.${role}`), role).toBe(true);
  });

  it("have every admin.errors key the code uses, including the schemas' messages", () => {
    const sources = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? sources(path.join(dir, e.name)) : /\.tsx?$/.test(e.name) && !e.name.endsWith(".test.ts") ? [path.join(dir, e.name)] : [],
      );
    const used = sources(path.resolve("app")).flatMap((file) => [...readFileSync(file, "utf8").matchAll(/"(admin\.errors\.[a-z_]+)"/g)].map((m) => m[1] ?? ""));
    expect(used.length).toBeGreaterThan(10);
    expect(used.filter((key) => !has(vi, key))).toEqual([]);
    // Errors built from a data function's outcome (`admin.errors.${outcome.error}`).
    for (const error of ["role_not_allowed", "agency_invalid", "email_taken"]) expect(has(vi, `admin.errors.${error}`), error).toBe(true);
  });
});
