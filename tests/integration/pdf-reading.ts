import { decodePDFRawStream, PDFDict, PDFDocument, PDFName, PDFNumber, PDFRawStream } from "pdf-lib";
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";

/**
 * What a reader of a PDF gets from it: its text as a PDF viewer extracts it (pdf.js, one line per
 * drawn line) and the images painted on each page, decoded to RGB pixels.
 */
export type PdfImage = { width: number; height: number; colorSpace: string; rgb: Uint8Array };

export async function pdfText(bytes: Uint8Array): Promise<string> {
  const doc = await getDocument({ data: new Uint8Array(bytes), verbosity: 0, isEvalSupported: false, disableFontFace: true }).promise;
  const lines: string[] = [];
  for (let n = 1; n <= doc.numPages; n++) {
    const content = await (await doc.getPage(n)).getTextContent();
    for (const item of content.items) if ("str" in item && item.str) lines.push(item.str);
  }
  await doc.destroy();
  return lines.join("\n");
}

/** The image XObjects in the pages' resources (8-bit RGB ones decoded; their soft masks are not images of their own). */
export async function pdfImages(bytes: Uint8Array): Promise<PdfImage[]> {
  const doc = await PDFDocument.load(bytes, { updateMetadata: false });
  const images: PdfImage[] = [];
  for (const page of doc.getPages()) {
    const xobjects = page.node.Resources()?.lookupMaybe(PDFName.of("XObject"), PDFDict);
    if (!xobjects) continue;
    for (const [, ref] of xobjects.entries()) {
      const stream = doc.context.lookup(ref);
      if (!(stream instanceof PDFRawStream)) continue;
      const dict = stream.dict;
      if (dict.get(PDFName.of("Subtype")) !== PDFName.of("Image")) continue;
      const number = (key: string) => dict.lookupMaybe(PDFName.of(key), PDFNumber)?.asNumber() ?? 0;
      const colorSpace = dict.get(PDFName.of("ColorSpace"));
      images.push({
        width: number("Width"),
        height: number("Height"),
        colorSpace: colorSpace instanceof PDFName ? colorSpace.decodeText() : String(colorSpace),
        rgb: decodePDFRawStream(stream).decode(),
      });
    }
  }
  return images;
}
