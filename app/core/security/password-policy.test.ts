import { describe, expect, it } from "vitest";
import { passwordProblem } from "./password-policy";

describe("password policy", () => {
  it("refuses the passwords the outside test used, and common ones", () => {
    expect(passwordProblem("aaaaaaaaaa")).toBe("repetitive");
    expect(passwordProblem("1234567890")).toBe("common");
    expect(passwordProblem("password123")).toBe("common");
    expect(passwordProblem("Qwertyuiop")).toBe("common");
    expect(passwordProblem("matkhau123")).toBe("common");
    expect(passwordProblem("MatKhau2026!")).toBe("common");
  });

  it("refuses repeated blocks and runs of consecutive characters", () => {
    expect(passwordProblem("abababababab")).toBe("repetitive");
    expect(passwordProblem("abcabcabcabc")).toBe("repetitive");
    expect(passwordProblem("0123456789012")).toBe("sequential");
    expect(passwordProblem("9876543210")).toBe("sequential");
    expect(passwordProblem("abcdefghijk")).toBe("sequential");
    expect(passwordProblem("3456789012")).toBe("sequential");
  });

  it("accepts a long unusual password", () => {
    expect(passwordProblem("mat-khau-rat-dai-2026")).toBeNull();
    expect(passwordProblem("Sông Hương chảy qua Huế")).toBeNull();
    expect(passwordProblem("correct horse battery staple")).toBeNull();
  });
});
