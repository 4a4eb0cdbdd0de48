import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { SplicedText } from "./spliced-text.server";

describe("SplicedText", () => {
  const page = [
    '<!DOCTYPE html><html lang="vi"><head><script nonce="',
    '" src="/a.js"></script>',
    "<p>Đăng ký khai sinh — ".repeat(500),
    '<script nonce="',
    '">x()</script></html>',
  ];

  it("fills every hole, plain and gzip, and gzip decompresses to exactly the plain text", () => {
    const text = new SplicedText(page);
    for (const nonce of ["n0nce+/AAAAAAAAAAAAAAA==", "another-one", ""]) {
      const expected = page.join(nonce);
      expect(text.plainWith(nonce).toString("utf8")).toBe(expected);
      expect(gunzipSync(text.gzipWith(nonce)).toString("utf8")).toBe(expected);
    }
  });

  it("compresses: a repetitive page's gzip is a small fraction of it", () => {
    const text = new SplicedText(page);
    expect(text.gzipWith("abc").length).toBeLessThan(text.plainWith("abc").length / 10);
    expect(text.size).toBeGreaterThan(page.join("").length);
  });

  it("handles a text with no hole and one that is empty", () => {
    expect(gunzipSync(new SplicedText(["only"]).gzipWith("x")).toString()).toBe("only");
    expect(gunzipSync(new SplicedText([""]).gzipWith("x")).toString()).toBe("");
    expect(gunzipSync(new SplicedText(["", ""]).gzipWith("xyz")).toString()).toBe("xyz");
    // A filler longer than one stored block (65,535 bytes).
    const long = "ắ".repeat(40_000);
    expect(gunzipSync(new SplicedText(["a", "b", "c"]).gzipWith(long)).toString()).toBe(`a${long}b${long}c`);
  });
});

describe("SplicedText's CRC", () => {
  it("matches a whole gzip of the same text for many shapes (gunzip checks the CRC and the length)", () => {
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let round = 0; round < 40; round += 1) {
      const parts = Array.from({ length: 1 + Math.floor(random() * 6) }, () => "xé<>ạ".repeat(Math.floor(random() * 3000)));
      const filler = "n".repeat(Math.floor(random() * 30));
      expect(gunzipSync(new SplicedText(parts).gzipWith(filler)).toString()).toBe(parts.join(filler));
    }
  });
});
