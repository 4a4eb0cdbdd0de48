import { describe, expect, it } from "vitest";
import { makeReceiptCode, parseReceiptCode, RECEIPT_CODE_PATTERN } from "./receipt-code";

describe("receipt code", () => {
  const code = makeReceiptCode("2026-11-22", [0, 1, 10, 17, 30, 31]);

  it("has the stable format YYMMDD-XXXXXX-C", () => {
    expect(code.slice(0, 14)).toBe("261122-01AHYZ-");
    expect(code).toMatch(RECEIPT_CODE_PATTERN);
  });

  it("computes Crockford's mod-37 check symbol", () => {
    // 26112201AHYZ read in base 32, mod 37 — computed independently with BigInt.
    const alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    let n = 0n;
    for (const ch of "26112201AHYZ") n = n * 32n + BigInt(alphabet.indexOf(ch));
    const expected = `${alphabet}*~$=U`.charAt(Number(n % 37n));
    expect(code.at(-1)).toBe(expected);
  });

  it("parses what people type: lower case, spaces, O for 0, I and L for 1", () => {
    const typed = code.toLowerCase().replace(/-/g, " ").replace(/0/g, "o").replace(/1/g, "l");
    expect(parseReceiptCode(typed)).toBe(code);
  });

  it("rejects a code with one character changed or two swapped", () => {
    const changed = code.slice(0, 7) + (code[7] === "0" ? "2" : "0") + code.slice(8);
    expect(parseReceiptCode(changed)).toBeNull();
    const swapped = code.slice(0, 9) + code[10] + code[9] + code.slice(11);
    expect(parseReceiptCode(swapped)).toBeNull();
  });

  it("rejects rubbish and refuses bad input when making a code", () => {
    expect(parseReceiptCode("")).toBeNull();
    expect(parseReceiptCode("hello")).toBeNull();
    expect(() => makeReceiptCode("22/11/2026", [0, 0, 0, 0, 0, 0])).toThrow();
    expect(() => makeReceiptCode("2026-11-22", [32, 0, 0, 0, 0, 0])).toThrow();
  });
});
