// The EXIF thumbnail of a JPEG and a tiny grayscale signature of it and of the main picture.
// Hand-written EXIF walk (IFD0 → IFD1 only): exifr returns the thumbnail only through its async
// API, while checks are synchronous; decoding is done by jpeg-js (pure JS, no native code).
import jpeg from 'jpeg-js';

/** Pictures larger than this are not decoded (memory and time); the check skips them. */
export const MAX_MEGAPIXELS = 20;
export const GRID = 16;

export interface Signature {
  width: number;
  height: number;
  /** GRID×GRID mean of each channel (luminance, then two colour differences), row-major, one array per channel. */
  channels: Float64Array[];
}

/** JPEG frame size from the first SOFn marker, without decoding. */
export function jpegSize(b: Uint8Array): { width: number; height: number } | undefined {
  if (b[0] !== 0xff || b[1] !== 0xd8) return undefined;
  let p = 2;
  while (p + 9 < b.length) {
    if (b[p] !== 0xff) return undefined;
    const marker = b[p + 1]!;
    if (marker === 0xff) {
      p++;
      continue;
    }
    const len = (b[p + 2]! << 8) | b[p + 3]!;
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { height: (b[p + 5]! << 8) | b[p + 6]!, width: (b[p + 7]! << 8) | b[p + 8]! };
    }
    if (marker === 0xda) return undefined;
    p += 2 + len;
  }
  return undefined;
}

/** Bytes of the JPEG thumbnail stored in IFD1 of the EXIF APP1 segment, if any. */
export function exifThumbnail(b: Uint8Array): Uint8Array | undefined {
  if (b[0] !== 0xff || b[1] !== 0xd8) return undefined;
  let p = 2;
  while (p + 4 < b.length && b[p] === 0xff) {
    const marker = b[p + 1]!;
    const len = (b[p + 2]! << 8) | b[p + 3]!;
    if (marker === 0xda) return undefined;
    const body = p + 4;
    if (marker === 0xe1 && String.fromCharCode(...b.subarray(body, body + 6)) === 'Exif\0\0') {
      return thumbnailFromTiff(b.subarray(body + 6, p + 2 + len));
    }
    p += 2 + len;
  }
  return undefined;
}

function thumbnailFromTiff(t: Uint8Array): Uint8Array | undefined {
  if (t.length < 8) return undefined;
  const le = t[0] === 0x49;
  const u16 = (o: number): number => (o + 2 > t.length ? 0 : le ? t[o]! | (t[o + 1]! << 8) : (t[o]! << 8) | t[o + 1]!);
  const u32 = (o: number): number => (o + 4 > t.length ? 0 : le ? (t[o]! | (t[o + 1]! << 8) | (t[o + 2]! << 16) | (t[o + 3]! << 24)) >>> 0 : ((t[o]! << 24) | (t[o + 1]! << 16) | (t[o + 2]! << 8) | t[o + 3]!) >>> 0);
  const ifd0 = u32(4);
  if (ifd0 < 8 || ifd0 + 2 > t.length) return undefined;
  const ifd1 = u32(ifd0 + 2 + u16(ifd0) * 12);
  if (ifd1 < 8 || ifd1 + 2 > t.length) return undefined;
  let offset = 0;
  let length = 0;
  const n = u16(ifd1);
  for (let i = 0; i < n; i++) {
    const e = ifd1 + 2 + i * 12;
    const tag = u16(e);
    if (tag === 0x0201) offset = u32(e + 8);
    if (tag === 0x0202) length = u32(e + 8);
  }
  if (!offset || !length || offset + length > t.length) return undefined;
  const thumb = t.subarray(offset, offset + length);
  return thumb[0] === 0xff && thumb[1] === 0xd8 ? thumb : undefined;
}

/**
 * Decodes a JPEG and averages luminance and colour over a GRID×GRID grid of the (cropped) area.
 * Colour matters: a red patch over a grey wall can keep the wall's brightness.
 */
export function signature(b: Uint8Array, trimDark = false): Signature | undefined {
  const img = jpeg.decode(b, { useTArray: true, formatAsRGBA: true, tolerantDecoding: true, maxResolutionInMP: MAX_MEGAPIXELS, maxMemoryUsageInMB: 1024 });
  const { width, height, data } = img;
  if (!width || !height) return undefined;
  const lum = (x: number, y: number): number => {
    const i = (y * width + x) * 4;
    return 0.299 * data[i]! + 0.587 * data[i + 1]! + 0.114 * data[i + 2]!;
  };
  let [x0, y0, x1, y1] = [0, 0, width, height];
  if (trimDark) {
    // Thumbnails of pictures with another aspect ratio are letterboxed with black bars.
    const darkRow = (y: number): boolean => { for (let x = 0; x < width; x += 2) if (lum(x, y) > 24) return false; return true; };
    const darkCol = (x: number): boolean => { for (let y = 0; y < height; y += 2) if (lum(x, y) > 24) return false; return true; };
    while (y0 < y1 - 1 && darkRow(y0)) y0++;
    while (y1 - 1 > y0 && darkRow(y1 - 1)) y1--;
    while (x0 < x1 - 1 && darkCol(x0)) x0++;
    while (x1 - 1 > x0 && darkCol(x1 - 1)) x1--;
  }
  const w = x1 - x0;
  const h = y1 - y0;
  const sums = [new Float64Array(GRID * GRID), new Float64Array(GRID * GRID), new Float64Array(GRID * GRID)];
  const counts = new Float64Array(GRID * GRID);
  // Sample at most ~512×512 points: enough for 16×16 means.
  const step = Math.max(1, Math.floor(Math.max(w, h) / 512));
  for (let y = y0; y < y1; y += step) {
    const gy = Math.min(GRID - 1, Math.floor(((y - y0) * GRID) / h));
    for (let x = x0; x < x1; x += step) {
      const gx = Math.min(GRID - 1, Math.floor(((x - x0) * GRID) / w));
      const cell = gy * GRID + gx;
      const i = (y * width + x) * 4;
      const l = lum(x, y);
      sums[0]![cell]! += l;
      sums[1]![cell]! += data[i]! - l;
      sums[2]![cell]! += data[i + 2]! - l;
      counts[cell]! += 1;
    }
  }
  const channels = sums.map((sum) => sum.map((v, i) => (counts[i] ? v / counts[i]! : 0)));
  return { width: w, height: h, channels };
}

export interface SignatureComparison {
  /** Cells whose brightness differs by more than the threshold after matching overall brightness and contrast. */
  differingCells: number;
  maxDifference: number;
}

const mean = (a: Float64Array): number => a.reduce((s, v) => s + v, 0) / a.length;
const std = (a: Float64Array, m: number): number => Math.sqrt(a.reduce((s, v) => s + (v - m) ** 2, 0) / a.length);

/**
 * Compares two signatures channel by channel after a linear brightness/contrast match of `thumb`
 * onto `main`; a cell differs when any channel differs by more than `cellThreshold`.
 */
export function compareSignatures(main: Signature, thumb: Signature, cellThreshold = 40): SignatureComparison {
  const differs = new Uint8Array(GRID * GRID);
  let maxDifference = 0;
  main.channels.forEach((mc, c) => {
    const tc = thumb.channels[c]!;
    const mm = mean(mc);
    const tm = mean(tc);
    const ms = std(mc, mm);
    const ts = std(tc, tm);
    // Contrast is matched within reason; a preview with a far flatter or harsher picture is a difference too.
    const scale = ms > 4 && ts > 4 ? Math.min(2, Math.max(0.5, ms / ts)) : 1;
    for (let i = 0; i < mc.length; i++) {
      const d = Math.abs(mc[i]! - mm - (tc[i]! - tm) * scale);
      if (d > cellThreshold) differs[i] = 1;
      if (d > maxDifference) maxDifference = d;
    }
  });
  return { differingCells: differs.reduce((s, v) => s + v, 0), maxDifference: Math.round(maxDifference) };
}
