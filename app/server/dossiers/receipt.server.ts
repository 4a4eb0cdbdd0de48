import QRCode from "qrcode";

/** The address a receipt's QR code opens: the public tracking page with the code filled in. */
export function trackingUrl(request: Request, receiptCode: string): string {
  const url = new URL("/track", new URL(request.url).origin);
  url.searchParams.set("code", receiptCode);
  return url.toString();
}

export async function qrSvgDataUri(text: string): Promise<string> {
  const svg = await QRCode.toString(text, { type: "svg", errorCorrectionLevel: "M", margin: 2 });
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString("base64")}`;
}

export async function qrPng(text: string): Promise<Uint8Array> {
  return QRCode.toBuffer(text, { type: "png", errorCorrectionLevel: "M", margin: 2, width: 240 });
}
