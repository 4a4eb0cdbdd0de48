import fontkit from "@pdf-lib/fontkit";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { PDFDocument, rgb, type PDFFont, type PDFPage } from "pdf-lib";

/**
 * PDFs with Vietnamese text. pdf-lib's standard fonts cannot encode Vietnamese,
 * so DejaVu (shipped by the dejavu-fonts-ttf package) is embedded, subset to
 * the glyphs used. See docs/decisions/004-pdf-generation.md.
 */
const require = createRequire(import.meta.url);
let fonts: { regular: Uint8Array; bold: Uint8Array } | undefined;
function fontBytes() {
  fonts ??= {
    regular: readFileSync(require.resolve("dejavu-fonts-ttf/ttf/DejaVuSans.ttf")),
    bold: readFileSync(require.resolve("dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf")),
  };
  return fonts;
}

const A4: [number, number] = [595.28, 841.89];
const MARGIN = 56;

/** Breaks text into lines that fit the width, at spaces. */
function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const out: string[] = [];
  let line = "";
  // Breaks at spaces but not at no-break spaces ("200.000 ₫" stays whole).
  for (const word of text.split(/[^\S\u00a0]+/)) {
    const next = line ? `${line} ${word}` : word;
    if (font.widthOfTextAtSize(next, size) <= width || !line) line = next;
    else {
      out.push(line);
      line = word;
    }
  }
  if (line) out.push(line);
  return out;
}

export type PdfTextBlock = { text: string; bold?: boolean; size?: number; center?: boolean; gapBefore?: number };
/** A PNG drawn `width` points wide (height from its proportions), e.g. a receipt's QR code. */
export type PdfImageBlock = { png: Uint8Array; width: number; center?: boolean; gapBefore?: number };
export type PdfBlock = PdfTextBlock | PdfImageBlock;

/** A PDF with the file name it is offered under. */
export type PdfDocument = { fileName: string; pdf: Uint8Array };

/** Lays out blocks of text top to bottom over as many A4 pages as needed. */
export async function renderTextPdf(input: { title: string; blocks: PdfBlock[]; footer?: string }): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  doc.setTitle(input.title);
  doc.setProducer("Cổng dịch vụ công (demo)");
  const { regular, bold } = fontBytes();
  const font = await doc.embedFont(regular, { subset: true });
  const boldFont = await doc.embedFont(bold, { subset: true });
  const width = A4[0] - 2 * MARGIN;
  let page: PDFPage = doc.addPage(A4);
  let y = A4[1] - MARGIN;
  for (const block of input.blocks) {
    if ("png" in block) {
      const image = await doc.embedPng(block.png);
      const height = (image.height / image.width) * block.width;
      y -= block.gapBefore ?? 0;
      if (y - height < MARGIN) {
        page = doc.addPage(A4);
        y = A4[1] - MARGIN;
      }
      const x = block.center ? MARGIN + (width - block.width) / 2 : MARGIN;
      page.drawImage(image, { x, y: y - height, width: block.width, height });
      y -= height + 4;
      continue;
    }
    const size = block.size ?? 11;
    const f = block.bold ? boldFont : font;
    y -= block.gapBefore ?? 0;
    for (const line of wrap(block.text, f, size, width)) {
      if (y < MARGIN + size * 2) {
        page = doc.addPage(A4);
        y = A4[1] - MARGIN;
      }
      const x = block.center ? MARGIN + (width - f.widthOfTextAtSize(line, size)) / 2 : MARGIN;
      page.drawText(line, { x, y: y - size, size, font: f, color: rgb(0.1, 0.1, 0.1) });
      y -= size * 1.5;
    }
  }
  if (input.footer) {
    for (const p of doc.getPages()) p.drawText(input.footer, { x: MARGIN, y: MARGIN / 2, size: 8, font, color: rgb(0.35, 0.35, 0.35) });
  }
  return doc.save();
}
