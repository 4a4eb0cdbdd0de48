import { constants, crc32, deflateRawSync } from "node:zlib";

/**
 * A text with holes, filled with a different value on every use (a page kept by the page cache,
 * its holes the places of the CSP nonce), ready to send both plain and gzip-compressed without
 * compressing the whole text again each time: compression was a quarter of the CPU of sending a
 * kept page.
 *
 * How: each part is compressed once, on its own, as raw deflate blocks ending with a sync flush
 * (byte-aligned, not final); a fresh deflate stream refers to nothing before it, so such segments
 * can follow one another in one deflate stream. Each use writes only the filler, as stored
 * (uncompressed) blocks, then closes the stream with an empty final block and wraps it in the gzip header and trailer
 * (CRC-32 and length of the whole text, RFC 1952).
 */
export class SplicedText {
  private readonly plain: Buffer[];
  private readonly deflated: Buffer[];
  /** Each part's CRC-32 and the factor that shifts a CRC past the part (crc32Combine). */
  private readonly crcs: { crc: number; shift: number }[];
  /** Bytes held, for a cache's size bound. */
  readonly size: number;

  constructor(parts: readonly string[]) {
    this.plain = parts.map((part) => Buffer.from(part, "utf8"));
    this.deflated = this.plain.map((part) => syncFlushed(part, constants.Z_BEST_COMPRESSION));
    this.crcs = this.plain.map((part) => ({ crc: crc32Of(part), shift: crcShift(part.length) }));
    this.size = [...this.plain, ...this.deflated].reduce((sum, b) => sum + b.length, 0);
  }

  /** The text with every hole filled with `filler`. */
  plainWith(filler: string): Buffer {
    return Buffer.concat(this.interleave(this.plain, Buffer.from(filler, "utf8")));
  }

  /** The same text as one gzip member. */
  gzipWith(filler: string): Buffer {
    const fill = Buffer.from(filler, "utf8");
    // The whole text's CRC from the parts' (computed once) and the filler's: no pass over the page.
    const fillCrc = { crc: crc32Of(fill), shift: crcShift(fill.length) };
    let crc = 0;
    let length = 0;
    this.crcs.forEach((part, i) => {
      if (i > 0) crc = crc32Combine(crc, fillCrc);
      crc = crc32Combine(crc, part);
    });
    for (const part of this.plain) length += part.length;
    length += fill.length * (this.plain.length - 1);
    const trailer = Buffer.alloc(8);
    trailer.writeUInt32LE(crc >>> 0, 0);
    trailer.writeUInt32LE(length % 2 ** 32, 4);
    return Buffer.concat([GZIP_HEADER, ...this.interleave(this.deflated, storedBlocks(fill)), FINAL_EMPTY_BLOCK, trailer]);
  }

  private interleave(parts: readonly Buffer[], filler: Buffer | Buffer[]): Buffer[] {
    const out: Buffer[] = [];
    for (const part of parts) {
      if (out.length > 0) {
        if (Array.isArray(filler)) out.push(...filler);
        else out.push(filler);
      }
      out.push(part);
    }
    return out;
  }
}

/**
 * `data` as deflate "stored" blocks (RFC 1951 §3.2.4: a header byte, the length and its complement,
 * the bytes as they are), for a filler too short to gain from compression: no zlib stream to set up
 * per answer. Written at a byte boundary, which the sync-flushed parts end on.
 */
function storedBlocks(data: Buffer): Buffer[] {
  const blocks: Buffer[] = [];
  for (let at = 0; at < data.length; at += 0xffff) {
    const chunk = data.subarray(at, at + 0xffff);
    const header = Buffer.alloc(5);
    header.writeUInt8(0x00, 0); // not final, stored
    header.writeUInt16LE(chunk.length, 1);
    header.writeUInt16LE(~chunk.length & 0xffff, 3);
    blocks.push(header, chunk);
  }
  return blocks;
}

/** Node's crc32 answers 0 for an empty buffer; the CRC of nothing is 0 anyway, said plainly. */
const crc32Of = (data: Buffer): number => (data.length === 0 ? 0 : crc32(data));

/*
 * CRC-32 of two texts joined, from their CRCs and the second's length: zlib's crc32_combine
 * (crc32.c, 1.2.12+, multiplication modulo the CRC polynomial), which Node does not expose. `shift`
 * is x^(8·length) modulo the polynomial, computed once per length.
 */
const POLYNOMIAL = 0xedb88320;

/** a·b modulo the polynomial (bit-reflected, as the CRC is). */
function multModP(a: number, b: number): number {
  let m = 0x80000000;
  let p = 0;
  for (;;) {
    if (a & m) {
      p ^= b;
      if ((a & (m - 1)) === 0) break;
    }
    m >>>= 1;
    b = b & 1 ? (b >>> 1) ^ POLYNOMIAL : b >>> 1;
  }
  return p >>> 0;
}

/** x^(2^k) modulo the polynomial, k = 0…31. */
const X2N: number[] = [];
for (let k = 0, p = 0x40000000; k < 32; k += 1, p = multModP(p, p)) X2N.push(p);

/** x^(8·length) modulo the polynomial. */
function crcShift(length: number): number {
  let p = 0x80000000;
  for (let n = length, k = 3; n > 0; n = Math.floor(n / 2), k += 1) if (n % 2 === 1) p = multModP(X2N[k % 32] ?? 0, p);
  return p;
}

/** The CRC of A then B, from A's CRC and B's CRC and shift. */
function crc32Combine(crcA: number, b: { crc: number; shift: number }): number {
  return (multModP(b.shift, crcA) ^ b.crc) >>> 0;
}

/** Raw deflate of `data`, ending with a sync flush: whole bytes, no final block. */
function syncFlushed(data: Buffer, level: number): Buffer {
  return deflateRawSync(data, { level, finishFlush: constants.Z_SYNC_FLUSH });
}

/** Magic, deflate, no flags, no time, no extra flags, unknown OS. */
const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff]);
/** A final fixed-Huffman block with no data (what zlib writes to finish an empty stream). */
const FINAL_EMPTY_BLOCK = Buffer.from([0x03, 0x00]);
