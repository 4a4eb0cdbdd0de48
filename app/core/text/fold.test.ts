import { describe, expect, it } from "vitest";
import { canonicalSpelling, fold, queryWords, searchTokens, spellingVariants } from "./fold";

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

describe("i/y spelling variants", () => {
  it("gives a consonant + i/y syllable both spellings, the typed one first", () => {
    expect(spellingVariants("ky")).toEqual(["ky", "ki"]);
    expect(spellingVariants("ki")).toEqual(["ki", "ky"]);
    expect(spellingVariants(fold("lý"))).toEqual(["ly", "li"]);
    expect(spellingVariants(fold("Mỹ"))).toEqual(["my", "mi"]);
    expect(spellingVariants(fold("quý"))).toEqual(["quy", "qui"]);
    expect(spellingVariants(fold("tỉ"))).toEqual(["ti", "ty"]);
  });

  it("leaves vowel pairs, a lone y and longer syllables alone (tay ≠ tai, tuy ≠ tui, y tế, kinh)", () => {
    for (const word of ["tay", "tai", "tuy", "huy", "y", "kinh", "kiem", "quyen", "khai", "sinh"]) expect(spellingVariants(word)).toEqual([word]);
  });

  it("compares every variant under one spelling, with i", () => {
    expect(canonicalSpelling("ky")).toBe("ki");
    expect(canonicalSpelling("ki")).toBe("ki");
    expect(fold("Đăng ký").split(" ").map(canonicalSpelling)).toEqual(["dang", "ki"]);
    expect(canonicalSpelling("tay")).toBe("tay");
  });
});

describe("queryWords", () => {
  it("keeps each word as typed beside its folded token, in the same order as searchTokens", () => {
    const words = queryWords("  Đăng ký, khai-sinh 1.001193. ");
    expect(words).toEqual([
      { text: "Đăng", token: "dang" },
      { text: "ký", token: "ky" },
      { text: "khai", token: "khai" },
      { text: "sinh", token: "sinh" },
      { text: "1.001193", token: "1.001193" },
    ]);
    expect(words.map((w) => w.token)).toEqual(searchTokens("  Đăng ký, khai-sinh 1.001193. "));
  });

  it("reads decomposed (NFD) input as whole words", () => {
    expect(queryWords("Đăng ký".normalize("NFD")).map((w) => w.text)).toEqual(["Đăng", "ký"]);
  });
});
