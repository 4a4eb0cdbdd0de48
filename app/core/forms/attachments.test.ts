import { describe, expect, it } from "vitest";
import { checkAttachment, detectFileKind, safeFileName } from "./attachments";
import { FieldSchema } from "./definition";

const pdf = new TextEncoder().encode("%PDF-1.7\n%âãÏÓ\n1 0 obj\n");
const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
const jpeg = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 16]);
const field = FieldSchema.parse({ type: "file", name: "scan", label: { vi: "Bản chụp" }, accept: ["pdf", "png"], maxSizeMb: 1 });
if (field.type !== "file") throw new Error("expected a file field");

describe("attachments", () => {
  it("detects PDF, PNG and JPEG by their magic bytes", () => {
    expect(detectFileKind(pdf)).toBe("pdf");
    expect(detectFileKind(png)).toBe("png");
    expect(detectFileKind(jpeg)).toBe("jpeg");
    expect(detectFileKind(new TextEncoder().encode("<html>%PDF-"))).toBeNull();
  });

  it("refuses a forged file, a type the field does not accept, an empty or oversized file", () => {
    expect(checkAttachment(field, new TextEncoder().encode("MZ\x90\x00 not a pdf"))).toEqual({ ok: false, error: "form.errors.file_type" });
    expect(checkAttachment(field, jpeg)).toEqual({ ok: false, error: "form.errors.file_type" });
    expect(checkAttachment(field, new Uint8Array())).toEqual({ ok: false, error: "form.errors.file_empty" });
    const big = new Uint8Array(1024 * 1024 + 1);
    big.set(pdf);
    expect(checkAttachment(field, big)).toEqual({ ok: false, error: "form.errors.file_size" });
    expect(checkAttachment(field, pdf)).toEqual({ ok: true, kind: "pdf" });
  });

  it("makes safe display names with the real extension", () => {
    expect(safeFileName("../../etc/passwd", "pdf")).toBe("passwd.pdf");
    expect(safeFileName("C:\\Users\\An\\Giấy chứng sinh.exe", "png")).toBe("Giấy chứng sinh.png");
    expect(safeFileName("", "jpeg")).toBe("tep-dinh-kem.jpg");
  });
});
