import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

describe("what the form page loads at first", () => {
  // The form page imports these helpers; zod must stay out of them so the schema library is
  // fetched only when the answers are checked (the page's JavaScript budget, tests/bench/js-size.js).
  it("fields.ts reaches no zod at run time, through any of its imports", async () => {
    // Follows each import that is not `import type` to its file, and that file's, and so on.
    const seen = new Set<string>();
    const runtime: string[] = [];
    const visit = (url: URL) => {
      if (seen.has(url.href)) return;
      seen.add(url.href);
      const source = readFileSync(url, "utf8");
      for (const m of source.matchAll(/^(?:import|export)\s+(type\s+)?[^;]*?from\s+"([^"]+)";?$/gm)) {
        const [, typeOnly, spec = ""] = m;
        if (typeOnly) continue;
        runtime.push(spec);
        if (spec.startsWith(".")) visit(new URL(`${spec}.ts`, url));
      }
    };
    visit(new URL("./fields.ts", import.meta.url));
    expect(runtime.length).toBeGreaterThan(0); // it does use helpers: formatDate, localText
    expect(runtime.filter((spec) => !spec.startsWith("."))).toEqual([]);
  });
});
