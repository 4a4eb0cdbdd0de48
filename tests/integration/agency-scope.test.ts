import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { schema } from "../../app/server/platform/schema.server";
import { withinAgency } from "../../app/server/staff/agency-scope.server";
import { db } from "../../app/server/platform/db.server";

describe("an agency's subtree (withinAgency)", () => {
  it("takes the agency and those under it, never a sibling whose id starts the same", async () => {
    const paths = (await db().select({ path: schema.agencies.path }).from(schema.agencies)).map((a) => a.path);
    const root = paths.find((p) => /^\/\d+\/$/.test(p) && paths.some((q) => q !== p && q.startsWith(p)));
    expect(root).toBeDefined();
    if (!root) return;
    const inside = (await db().select({ path: schema.agencies.path }).from(schema.agencies).where(withinAgency(root))).map((a) => a.path).sort();
    expect(inside).toEqual(paths.filter((p) => p.startsWith(root)).sort());
    expect(inside).toContain(root);
    expect(inside.length).toBeGreaterThan(1);
    // "/1/" must not take in "/10/": the trailing slash is part of the prefix.
    expect(inside.every((p) => p.startsWith(root))).toBe(true);
  });

  it("refuses anything but a path the portal makes (digits and slashes), rather than read it as a pattern", () => {
    for (const bad of ["/1/*", "*", "/1", "1/", "/1/?/", "/[1]/", ""]) expect(() => withinAgency(bad), bad).toThrow(/not an agency path/);
  });

  it("is the one way: no other server module writes the subtree glob itself", () => {
    const files = readdirSync("app/server").filter((f) => f.endsWith(".ts") && f !== "agency-scope.server.ts");
    const copies = files.filter((f) => /glob \$\{`\$\{/.test(readFileSync(path.join("app/server", f), "utf8")));
    expect(copies).toEqual([]);
  });
});
