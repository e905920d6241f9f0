/**
 * Tiny valid images built in code, for media tests: no binary fixtures in the repo.
 * Each builder returns the exact bytes of a well-formed file of the given size.
 */
import { PNG } from 'pngjs';
import { crc32 } from 'node:zlib';

/** A PNG of `width` x `height` pixels (a red-green gradient), via pngjs. */
export function png(width = 3, height = 2): Uint8Array<ArrayBuffer> {
  const img = new PNG({ width, height });
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      img.data[i] = (x * 255) / Math.max(1, width - 1);
      img.data[i + 1] = (y * 255) / Math.max(1, height - 1);
      img.data[i + 2] = 0;
      img.data[i + 3] = 255;
    }
  }
  return new Uint8Array(PNG.sync.write(img));
}

/** A PNG of random pixels: incompressible, so its size is about `width * height * 4` bytes. */
export function noisyPng(width: number, height: number): Uint8Array<ArrayBuffer> {
  const img = new PNG({ width, height });
  for (let i = 0; i < img.data.length; i++) img.data[i] = (Math.random() * 256) | 0;
  return new Uint8Array(PNG.sync.write(img, { deflateLevel: 0 }));
}

/**
 * A valid PNG of exactly `total` bytes: a small image plus a private ancillary chunk
 * (`prVt`, which decoders skip) before IEND that fills the rest.
 */
export function pngOfSize(total: number): Uint8Array<ArrayBuffer> {
  const base = png(2, 2);
  const iend = base.subarray(base.length - 12); // length(4) + "IEND" + crc(4)
  const head = base.subarray(0, base.length - 12);
  const dataLength = total - base.length - 12;
  if (dataLength < 0) throw new Error(`a PNG cannot be as small as ${total} bytes`);
  const chunk = new Uint8Array(12 + dataLength);
  const view = new DataView(chunk.buffer);
  view.setUint32(0, dataLength);
  chunk.set([0x70, 0x72, 0x56, 0x74], 4); // "prVt"
  chunk.fill(0x61, 8, 8 + dataLength);
  view.setUint32(8 + dataLength, crc32(chunk.subarray(4, 8 + dataLength)) >>> 0);
  const out = new Uint8Array(total);
  out.set(head, 0);
  out.set(chunk, head.length);
  out.set(iend, head.length + chunk.length);
  return out;
}

/**
 * A baseline greyscale JPEG of `width` x `height` (at most 8 x 8: one block) in flat
 * mid-grey: one quantisation table, one-symbol Huffman tables, and a scan of one block
 * whose DC difference is 0 followed by end-of-block.
 */
export function jpeg(width = 5, height = 4): Uint8Array<ArrayBuffer> {
  if (width > 8 || height > 8) throw new Error('this tiny JPEG holds one 8x8 block');
  const seg = (marker: number, payload: number[]) => [0xff, marker, ((payload.length + 2) >> 8) & 0xff, (payload.length + 2) & 0xff, ...payload];
  const oneSymbolTable = (tableClassAndId: number) => [tableClassAndId, 1, ...new Array(15).fill(0), 0x00];
  const bytes = [
    0xff, 0xd8, // SOI
    ...seg(0xe0, [0x4a, 0x46, 0x49, 0x46, 0x00, 1, 1, 0, 0, 1, 0, 1, 0, 0]), // APP0 JFIF 1.1
    ...seg(0xdb, [0x00, ...new Array(64).fill(1)]), // DQT, table 0, all ones
    ...seg(0xc0, [8, height >> 8, height & 0xff, width >> 8, width & 0xff, 1, 1, 0x11, 0]), // SOF0, 1 component
    ...seg(0xc4, oneSymbolTable(0x00)), // DHT DC 0: category 0 -> code "0"
    ...seg(0xc4, oneSymbolTable(0x10)), // DHT AC 0: EOB -> code "0"
    ...seg(0xda, [1, 1, 0x00, 0, 63, 0]), // SOS
    0b00111111, // DC "0", EOB "0", padded with ones
    0xff, 0xd9, // EOI
  ];
  return new Uint8Array(bytes);
}

/** The classic 1 x 1 transparent GIF89a. */
export function gif(): Uint8Array<ArrayBuffer> {
  return new Uint8Array(Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64'));
}

/** A 1 x 1 lossless WebP (VP8L). */
export function webp(): Uint8Array<ArrayBuffer> {
  return new Uint8Array(Buffer.from('UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==', 'base64'));
}

/** An SVG that would run script if it were ever served as SVG. */
export const SVG = new TextEncoder().encode(
  '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10" onload="alert(1)"><script>alert(document.cookie)</script></svg>',
);

/** A multipart body with one `file` field. */
export function upload(bytes: Uint8Array<ArrayBuffer>, filename: string, type = 'application/octet-stream'): FormData {
  const form = new FormData();
  form.append('file', new Blob([bytes], { type }), filename);
  return form;
}
