import { describe, expect, it } from "vitest";
import { maxEdits, SpellingCorrector } from "./spelling";

// A small catalog's vocabulary, folded as the search index holds it, with how many procedures use each word.
const corrector = new SpellingCorrector([
  { word: "dang", docs: 30 },
  { word: "ky", docs: 28 },
  { word: "khai", docs: 4 },
  { word: "sinh", docs: 3 },
  { word: "tu", docs: 6 },
  { word: "ket", docs: 2 },
  { word: "hon", docs: 5 },
  { word: "hop", docs: 1 },
  { word: "nhan", docs: 7 },
  { word: "giay", docs: 9 },
  { word: "phep", docs: 8 },
  { word: "birth", docs: 1 },
  { word: "registration", docs: 12 },
  { word: "001193", docs: 1 },
]);

describe("maxEdits", () => {
  it("allows no edit under 3 letters, 1 up to 5, 2 from 6", () => {
    expect([1, 2, 3, 5, 6, 12].map(maxEdits)).toEqual([0, 0, 1, 1, 2, 2]);
  });
});

describe("SpellingCorrector", () => {
  it("corrects a one-letter typo: an extra, a missing, a wrong letter and two swapped", () => {
    expect(corrector.correctWord("sinhh")).toBe("sinh");
    expect(corrector.correctWord("sin")).toBe("sinh");
    expect(corrector.correctWord("sonh")).toBe("sinh");
    expect(corrector.correctWord("khia")).toBe("khai");
  });

  it("prefers the word more procedures use between equally near ones (hon 5 over hop 1)", () => {
    expect(corrector.correctWord("hoo")).toBe("hon");
  });

  it("allows two edits in long words, one in short ones, none in two-letter words", () => {
    expect(corrector.correctWord("registraton")).toBe("registration");
    expect(corrector.correctWord("regstraton")).toBe("registration");
    expect(corrector.correctWord("shnhh")).toBeNull();
    expect(corrector.correctWord("kx")).toBeNull();
  });

  it("corrects only the unknown words of a query and keeps the others as typed", () => {
    expect(corrector.correctQuery("khai sinhh")).toBe("khai sinh");
    expect(corrector.correctQuery("Đăng ký khai sinhh")).toBe("Đăng ký khai sinh");
    expect(corrector.correctQuery("birth registraton")).toBe("birth registration");
    expect(corrector.correctQuery("dang ky ket hom")).toBe("dang ky ket hon");
  });

  it("knows both spellings of an i/y word: 'dang ki ket hon' needs no correction", () => {
    expect(corrector.isWord("ki")).toBe(true);
    expect(corrector.correctQuery("dang ki ket hon")).toBeNull();
  });

  it("leaves the last word alone while it is the start of a word (still being typed)", () => {
    expect(corrector.correctQuery("giay ph")).toBeNull();
    expect(corrector.correctQuery("giay phe")).toBeNull();
  });

  it("never corrects codes or numbers", () => {
    expect(corrector.correctQuery("1.001194")).toBeNull();
    expect(corrector.correctQuery("khai sinhh 001194")).toBe("khai sinh 001194");
  });

  it("suggests nothing when a word has no plausible correction", () => {
    expect(corrector.correctQuery("xyzxyz qqq")).toBeNull();
    expect(corrector.correctQuery("khai sinhh zzzzzz")).toBeNull();
    expect(corrector.correctQuery("")).toBeNull();
  });
});
