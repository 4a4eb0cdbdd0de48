import { describe, expect, it } from "vitest";
import { fold, searchTokens } from "./fold";

describe("fold", () => {
  it("gives the same text for plain, upper-case and accented Vietnamese", () => {
    const expected = "dang ky khai sinh";
    expect(fold("đăng ký khai sinh")).toBe(expected);
    expect(fold("ĐĂNG KÝ KHAI SINH")).toBe(expected);
    expect(fold("dang ky khai sinh")).toBe(expected);
  });

  it("folds đ and Đ, which have no Unicode decomposition", () => {
    expect(fold("Đổi giấy phép lái xe")).toBe("doi giay phep lai xe");
    expect(fold("đ")).toBe("d");
  });

  it("strips every tone mark and hat (ơ ư ê â ă)", () => {
    expect(fold("ơ ư ê â ă ờ ự ễ ẩ ặ")).toBe("o u e a a o u e a a");
  });

  it("treats precomposed and decomposed input alike", () => {
    expect(fold("Việt".normalize("NFD"))).toBe(fold("Việt".normalize("NFC")));
  });

  it("collapses whitespace", () => {
    expect(fold("  Lý   lịch\ttư pháp ")).toBe("ly lich tu phap");
  });
});

describe("searchTokens", () => {
  it("keeps procedure codes with dots and drops punctuation", () => {
    expect(searchTokens("Thủ tục 1.001193, (khai-sinh)")).toEqual(["thu", "tuc", "1.001193", "khai", "sinh"]);
  });
  it("returns no token for empty or punctuation-only queries", () => {
    expect(searchTokens("  ,;- ")).toEqual([]);
  });
});

describe("slugify", () => {
  it("gives stable ASCII keys for agency names", async () => {
    const { slugify } = await import("./fold");
    expect(slugify("Bộ Tư pháp")).toBe("bo-tu-phap");
    expect(slugify("Bà Rịa - Vũng Tàu")).toBe("ba-ria-vung-tau");
    expect(slugify("Thừa Thiên-Huế")).toBe("thua-thien-hue");
    expect(slugify("Đắk Lắk")).toBe("dak-lak");
  });
});
