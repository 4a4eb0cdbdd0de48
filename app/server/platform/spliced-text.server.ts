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
  /** Bytes held, for a cache's size bound. */
  readonly size: number;

  constructor(parts: readonly string[]) {
    this.plain = parts.map((part) => Buffer.from(part, "utf8"));
    this.deflated = this.plain.map((part) => syncFlushed(part, constants.Z_BEST_COMPRESSION));
    this.size = [...this.plain, ...this.deflated].reduce((sum, b) => sum + b.length, 0);
  }

  /** The text with every hole filled with `filler`. */
  plainWith(filler: string): Buffer {
    return Buffer.concat(this.interleave(this.plain, Buffer.from(filler, "utf8")));
  }

  /** The same text as one gzip member. */
  gzipWith(filler: string): Buffer {
    const fill = Buffer.from(filler, "utf8");
    let crc = 0;
    let length = 0;
    for (const piece of this.interleave(this.plain, fill)) {
      // Node's crc32 answers 0 for an empty buffer whatever the running value: skip those.
      if (piece.length > 0) crc = crc32(piece, crc);
      length += piece.length;
    }
    const trailer = Buffer.alloc(8);
    trailer.writeUInt32LE(crc >>> 0, 0);
    trailer.writeUInt32LE(length % 2 ** 32, 4);
    return Buffer.concat([GZIP_HEADER, ...this.interleave(this.deflated, storedBlocks(fill)), FINAL_EMPTY_BLOCK, trailer]);
  }

  private interleave(parts: readonly Buffer[], filler: Buffer | Buffer[]): Buffer[] {
    return parts.flatMap((part, i) => (i === 0 ? [part] : [filler, part].flat()));
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

/** Raw deflate of `data`, ending with a sync flush: whole bytes, no final block. */
function syncFlushed(data: Buffer, level: number): Buffer {
  return deflateRawSync(data, { level, finishFlush: constants.Z_SYNC_FLUSH });
}

/** Magic, deflate, no flags, no time, no extra flags, unknown OS. */
const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff]);
/** A final fixed-Huffman block with no data (what zlib writes to finish an empty stream). */
const FINAL_EMPTY_BLOCK = Buffer.from([0x03, 0x00]);
