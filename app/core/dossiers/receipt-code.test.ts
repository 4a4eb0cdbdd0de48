import { describe, expect, it } from "vitest";
import { makeReceiptCode, parseReceiptCode, RECEIPT_CODE_PATTERN } from "./receipt-code";

const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/** Deterministic "random" values for property checks (a small LCG: the same codes every run). */
function* values(seed: number) {
  let x = seed;
  for (;;) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    yield (x >>> 16) % 32; // the high bits: an LCG's low bits repeat quickly
  }
}
// Dated 2027: earlier dates may also carry the legacy check symbol, which lets 1 typo in 37 through.
function codes(count: number, date = "2027-03-15"): string[] {
  const gen = values(7);
  return Array.from({ length: count }, () =>
    makeReceiptCode(
      date,
      Array.from({ length: 6 }, () => gen.next().value ?? 0),
    ),
  );
}

describe("receipt code", () => {
  const code = makeReceiptCode("2026-11-22", [0, 1, 10, 17, 30, 31]);

  it("has the stable format YYMMDD-XXXXXX-C", () => {
    expect(code.slice(0, 14)).toBe("261122-01AHYZ-");
    expect(code).toMatch(RECEIPT_CODE_PATTERN);
  });

  it("computes the Luhn mod 32 check character, worked by hand", () => {
    // 26112201AHYZ from the right, every second value doubled and its base-32 digits added
    // (Z=31→62→1+30): Z 31, Y 30, H 3, A 10, 1 2, 0 0, 2 4, 2 2, 1 2, 1 1, 6 12, 2 2 — sum 99;
    // (32 − 99 mod 32) mod 32 = 29 → "X".
    expect(code).toBe("261122-01AHYZ-X");
  });

  it("never ends in a symbol: every character comes from the unambiguous alphabet (10,000 codes)", () => {
    const made = codes(10_000);
    expect(made.filter((c) => !RECEIPT_CODE_PATTERN.test(c))).toEqual([]);
    expect(new Set(made.map((c) => c.at(-1))).size).toBe(32);
  });

  it("parses what people type: lower case, spaces, O for 0, I and L for 1, non-breaking hyphens", () => {
    const typed = code.toLowerCase().replace(/-/g, " ").replace(/0/g, "o").replace(/1/g, "l");
    expect(parseReceiptCode(typed)).toBe(code);
    expect(parseReceiptCode(code.replace(/-/g, "\u2011"))).toBe(code);
  });

  it("catches every single wrong character", () => {
    for (const c of codes(50)) {
      const compact = c.replace(/-/g, "");
      for (let i = 0; i < compact.length; i++) {
        for (const ch of ALPHABET) {
          if (ch === compact[i] || (i < 6 && !/\d/.test(ch))) continue;
          const wrong = compact.slice(0, i) + ch + compact.slice(i + 1);
          if (wrong.slice(0, 6) <= "261231") continue; // a date in the legacy window: see the legacy test
          expect(parseReceiptCode(wrong), `${c}: ${wrong}`).toBeNull();
        }
      }
    }
  });

  it("catches every swap of two neighbours except 0↔Z", () => {
    for (const c of codes(200)) {
      const compact = c.replace(/-/g, "");
      for (let i = 0; i + 1 < compact.length; i++) {
        const [a, b] = [compact[i] ?? "", compact[i + 1] ?? ""];
        if (a === b || (a === "0" && b === "Z") || (a === "Z" && b === "0")) continue;
        if (i < 6 && !/\d/.test(b)) continue; // the date holds digits only
        const swapped = compact.slice(0, i) + b + a + compact.slice(i + 2);
        if (swapped.slice(0, 6) <= "261231") continue; // a date in the legacy window
        expect(parseReceiptCode(swapped), `${c}: ${swapped}`).toBeNull();
      }
    }
  });

  it("keeps the codes issued until 2026 valid, with their mod-37 check symbols", () => {
    // Issued by the earlier format (check symbol = payload in base 32, mod 37, over 0–9 A–Z * ~ $ = U).
    const legacy = (payload: string) => {
      let n = 0n;
      for (const ch of payload) n = n * 32n + BigInt(ALPHABET.indexOf(ch));
      return `${ALPHABET}*~$=U`.charAt(Number(n % 37n));
    };
    expect(legacy("261205PYGZXB")).toBe("*");
    expect(parseReceiptCode("261205-PYGZXB-*")).toBe("261205-PYGZXB-*");
    const issued = ["261122J9827Z", "250301ABCDEF", "261231ZZZZZZ", "260615X0X0X0"].map((p) => `${p.slice(0, 6)}-${p.slice(6)}-${legacy(p)}`);
    for (const old of issued) expect(parseReceiptCode(old.toLowerCase())).toBe(old);
    // From 2027 on, only the new check character is accepted.
    const payload = "270101PYGZXB";
    expect(parseReceiptCode(`270101-PYGZXB-${legacy(payload)}`)).toBeNull();
  });

  it("rejects rubbish and refuses bad input when making a code", () => {
    expect(parseReceiptCode("")).toBeNull();
    expect(parseReceiptCode("hello")).toBeNull();
    expect(parseReceiptCode("261205-PYGZXB-#")).toBeNull();
    expect(() => makeReceiptCode("22/11/2026", [0, 0, 0, 0, 0, 0])).toThrow();
    expect(() => makeReceiptCode("2026-11-22", [32, 0, 0, 0, 0, 0])).toThrow();
  });
});
