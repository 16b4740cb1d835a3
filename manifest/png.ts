// Just enough PNG for the app icons, with node:zlib and no image library: write an 8-bit RGBA
// image, read any PNG's header, and decode the 8-bit non-interlaced kinds back to RGBA pixels
// (to check that an outline icon really is white on transparent).
import { crc32, deflateSync, inflateSync } from 'node:zlib';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** PNG colour types (IHDR byte 9). */
export const COLOR_TYPE = { grey: 0, rgb: 2, palette: 3, greyAlpha: 4, rgba: 6 } as const;

export interface PngInfo {
  width: number;
  height: number;
  bitDepth: number;
  colorType: number;
  interlaced: boolean;
  /** An alpha channel (grey+alpha, RGBA) or a tRNS transparency chunk. */
  hasAlpha: boolean;
}

export interface RgbaImage {
  width: number;
  height: number;
  /** width × height × 4 bytes, row by row: red, green, blue, alpha. */
  rgba: Uint8Array;
}

export class PngError extends Error {}

/** Encodes an 8-bit RGBA image (filter 0 on every row; zlib does the rest). */
export function encodePng(image: RgbaImage): Buffer {
  const { width, height, rgba } = image;
  if (rgba.length !== width * height * 4) throw new PngError(`expected ${width * height * 4} RGBA bytes, got ${rgba.length}`);
  const stride = width * 4;
  const raw = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (stride + 1)] = 0;
    Buffer.from(rgba.buffer, rgba.byteOffset + y * stride, stride).copy(raw, y * (stride + 1) + 1);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = COLOR_TYPE.rgba;
  ihdr[10] = 0; // compression: deflate
  ihdr[11] = 0; // filter method 0
  ihdr[12] = 0; // no interlace
  return Buffer.concat([
    SIGNATURE,
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(data, crc32(head.subarray(4))) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

interface Chunk {
  type: string;
  data: Buffer;
}

function* chunks(png: Buffer): Generator<Chunk> {
  if (png.length < 8 || !png.subarray(0, 8).equals(SIGNATURE)) throw new PngError('not a PNG file (bad signature)');
  let at = 8;
  while (at + 12 <= png.length) {
    const length = png.readUInt32BE(at);
    const type = png.toString('latin1', at + 4, at + 8);
    if (at + 12 + length > png.length) throw new PngError(`truncated ${type} chunk`);
    yield { type, data: png.subarray(at + 8, at + 8 + length) };
    if (type === 'IEND') return;
    at += 12 + length;
  }
  throw new PngError('no IEND chunk (truncated file)');
}

/** Reads the header (IHDR) and whether the image has transparency. */
export function readPngInfo(png: Buffer): PngInfo {
  let info: PngInfo | undefined;
  for (const { type, data } of chunks(png)) {
    if (!info) {
      if (type !== 'IHDR' || data.length !== 13) throw new PngError('the first chunk is not a valid IHDR');
      const colorType = data[9];
      info = {
        width: data.readUInt32BE(0),
        height: data.readUInt32BE(4),
        bitDepth: data[8],
        colorType,
        interlaced: data[12] !== 0,
        hasAlpha: colorType === COLOR_TYPE.greyAlpha || colorType === COLOR_TYPE.rgba,
      };
    } else if (type === 'tRNS') {
      info.hasAlpha = true;
    }
  }
  if (!info) throw new PngError('no IHDR chunk');
  return info;
}

const CHANNELS: Record<number, number> = {
  [COLOR_TYPE.grey]: 1,
  [COLOR_TYPE.rgb]: 3,
  [COLOR_TYPE.greyAlpha]: 2,
  [COLOR_TYPE.rgba]: 4,
};

/** Decodes an 8-bit, non-interlaced grey, grey+alpha, RGB or RGBA PNG into RGBA pixels. */
export function decodePng(png: Buffer): RgbaImage {
  const info = readPngInfo(png);
  const channels = CHANNELS[info.colorType];
  if (info.bitDepth !== 8 || channels === undefined || info.interlaced) {
    throw new PngError(
      `cannot read pixels of a ${info.bitDepth}-bit${info.interlaced ? ' interlaced' : ''} PNG of colour type ${info.colorType}; save it as 8-bit RGBA`,
    );
  }
  const idat = Buffer.concat([...chunks(png)].filter((c) => c.type === 'IDAT').map((c) => c.data));
  const raw = inflateSync(idat);
  const { width, height } = info;
  const stride = width * channels;
  if (raw.length < (stride + 1) * height) throw new PngError('image data is shorter than the header promises');

  const pixels = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const out = y * stride;
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? pixels[out + x - channels] : 0;
      const b = y > 0 ? pixels[out - stride + x] : 0;
      const c = x >= channels && y > 0 ? pixels[out - stride + x - channels] : 0;
      pixels[out + x] = (line[x] + predict(filter, a, b, c)) & 0xff;
    }
  }

  const rgba = new Uint8Array(width * height * 4);
  for (let i = 0, p = 0; i < width * height; i++, p += channels) {
    const [r, g, b, alpha] =
      channels === 1 ? [pixels[p], pixels[p], pixels[p], 255]
      : channels === 2 ? [pixels[p], pixels[p], pixels[p], pixels[p + 1]]
      : channels === 3 ? [pixels[p], pixels[p + 1], pixels[p + 2], 255]
      : [pixels[p], pixels[p + 1], pixels[p + 2], pixels[p + 3]];
    rgba.set([r, g, b, alpha], i * 4);
  }
  return { width, height, rgba };
}

function predict(filter: number, a: number, b: number, c: number): number {
  switch (filter) {
    case 0: return 0;
    case 1: return a;
    case 2: return b;
    case 3: return (a + b) >> 1;
    case 4: {
      const p = a + b - c;
      const pa = Math.abs(p - a);
      const pb = Math.abs(p - b);
      const pc = Math.abs(p - c);
      return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
    default: throw new PngError(`unknown row filter ${filter}`);
  }
}
