import { describe, expect, it } from "vitest";
import { isValidCccd, maskTail, normalizePhone } from "./vn";

describe("isValidCccd", () => {
  it("accepts 12 digits with a real province code", () => {
    expect(isValidCccd("001099012345")).toBe(true);
    expect(isValidCccd("096203000001")).toBe(true);
  });
  it("refuses unknown province codes, wrong lengths and letters", () => {
    expect(isValidCccd("003099012345")).toBe(false); // 003 is not assigned
    expect(isValidCccd("097099012345")).toBe(false);
    expect(isValidCccd("00109901234")).toBe(false);
    expect(isValidCccd("0010990123456")).toBe(false);
    expect(isValidCccd("00109901234a")).toBe(false);
  });
});

describe("normalizePhone", () => {
  it("normalises the ways people write Vietnamese numbers", () => {
    expect(normalizePhone("0912 345 678")).toBe("0912345678");
    expect(normalizePhone("+84 912.345.678")).toBe("0912345678");
    expect(normalizePhone("84912345678")).toBe("0912345678");
  });
  it("refuses numbers that cannot be Vietnamese", () => {
    expect(normalizePhone("0112345678")).toBeNull();
    expect(normalizePhone("091234567")).toBeNull();
    expect(normalizePhone("hello")).toBeNull();
  });
});

describe("maskTail", () => {
  it("shows only the last four characters", () => {
    expect(maskTail("001099012345")).toBe("••••••••2345");
    expect(maskTail("123")).toBe("123");
  });
});
