import { describe, expect, it } from "vitest";
import { checkAttachment, checkChosenFiles, checkFile, detectFileKind, safeFileName } from "./attachments";
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

describe("the browser's check of chosen files (checkChosenFiles)", () => {
  const other = FieldSchema.parse({ type: "file", name: "other", label: { vi: "Giấy khác" }, required: false });
  const photo = FieldSchema.parse({ type: "file", name: "photo", label: { vi: "Ảnh" }, accept: ["jpeg", "png"] });
  if (other.type !== "file" || photo.type !== "file") throw new Error("expected file fields");
  const fields = [field, other, photo];

  it("judges a file from its size and first bytes as the server judges the whole file", () => {
    const big = 1024 * 1024 + 1;
    expect(checkFile(field, big, pdf)).toEqual({ ok: false, error: "form.errors.file_size" });
    expect(checkFile(field, pdf.length, pdf.slice(0, 8))).toEqual({ ok: true, kind: "pdf" });
    expect(checkFile(field, jpeg.length, jpeg)).toEqual({ ok: false, error: "form.errors.file_type" });
  });

  it("reports every wrong, oversized or missing file at once", async () => {
    const form = new FormData();
    form.append("scan", new File([new TextEncoder().encode("MZ not a pdf")], "virus.pdf", { type: "application/pdf" }));
    form.append("other", new File([], "")); // an input left empty
    form.append("photo", new File([new Uint8Array(5 * 1024 * 1024 + 1).fill(0xff, 0, 3)], "big.jpg", { type: "image/jpeg" }));
    const errors = await checkChosenFiles({ fields, form, missing: (f) => (f.required ? "form.errors.file_required" : null) });
    expect(errors).toEqual({ scan: "form.errors.file_type", photo: "form.errors.file_size" });

    const empty = new FormData();
    empty.append("scan", new File([], ""));
    expect(await checkChosenFiles({ fields, form: empty, missing: (f) => (f.required ? "form.errors.file_required" : null) })).toEqual({
      scan: "form.errors.file_required",
      photo: "form.errors.file_required",
    });
    // A file already on record (the draft's) needs no new one.
    expect(await checkChosenFiles({ fields, form: empty, missing: (f) => (f.required && f.name !== "scan" ? "form.errors.file_required" : null) })).toEqual({
      photo: "form.errors.file_required",
    });

    const good = new FormData();
    good.append("scan", new File([pdf], "to-khai.pdf"));
    good.append("photo", new File([png], "anh.png"));
    expect(await checkChosenFiles({ fields, form: good, missing: () => "form.errors.file_required" })).toEqual({ other: "form.errors.file_required" });
  });
});
