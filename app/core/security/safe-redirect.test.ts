import { describe, expect, it } from "vitest";
import { safeRedirect } from "./safe-redirect";

describe("safeRedirect", () => {
  it("keeps a path on this site, with its query and fragment", () => {
    expect(safeRedirect("/applications")).toBe("/applications");
    expect(safeRedirect("/officer?q=abc&page=2#list")).toBe("/officer?q=abc&page=2#list");
    expect(safeRedirect("/procedures/1.001193/apply")).toBe("/procedures/1.001193/apply");
  });

  it("refuses another origin however it is spelled", () => {
    for (const to of [
      "https://evil.example",
      "http://evil.example/x",
      "//evil.example",
      "//evil.example/%2F..",
      "/\\evil.example",
      "\\\\evil.example",
      "javascript:alert(1)",
      "data:text/html,x",
      " //evil.example",
      "evil.example",
    ]) {
      expect({ to, got: safeRedirect(to) }).toEqual({ to, got: "/" });
    }
  });

  it("refuses the characters a browser drops or a header cannot carry", () => {
    // "/\t/evil.example" is what a browser reads as "//evil.example": an open redirect.
    for (const to of ["/\t/evil.example", "/\n/evil.example", "/\r/evil.example", "/\u0000/x", "/a\\b", "/\u007f"]) {
      expect({ to, got: safeRedirect(to) }).toEqual({ to, got: "/" });
    }
  });

  it("uses the fallback for anything that is not text", () => {
    expect(safeRedirect(null, "/officer")).toBe("/officer");
    expect(safeRedirect(undefined)).toBe("/");
    expect(safeRedirect(new File(["/applications"], "x.txt"))).toBe("/");
  });
});
