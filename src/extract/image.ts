// Images: EXIF (IFD0/ExifIFD/GPS/IFD1 thumbnail), IPTC via exifr; XMP (with xmpMM:History) via the
// shared XMP reader so PDFs and images read it the same way.
import exifr from 'exifr';
import type { Json } from '../model.js';
import { assignDefined, emptyExtraction, errorMessage, fillMissing, str, toJson } from './common.js';
import { normaliseDateString } from './dates.js';
import type { Extraction, Extractor } from './types.js';
import { findXmpPacket, parseXmp, xmpMetadata, xmpString } from './xmp.js';

export const IMAGE_TYPES = [
  'image/jpeg', 'image/pjpeg', 'image/tiff', 'image/png', 'image/heic', 'image/heif', 'image/avif',
  'image/webp', 'image/gif', 'image/bmp', 'image/x-ms-bmp', 'image/x-adobe-dng', 'image/x-canon-cr2',
  'image/x-nikon-nef', 'image/x-sony-arw', 'image/x-panasonic-rw2', 'image/x-olympus-orf', 'image/x-fuji-raf',
  'image/jxl', 'image/svg+xml', 'application/rdf+xml', 'application/xmp+xml', 'image/vnd.adobe.photoshop',
] as const;

/** Media types exifr can read EXIF from; others only get the XMP scan. */
const EXIF_READABLE = /^image\/(jpeg|pjpeg|tiff|png|heic|heif|avif|x-adobe-dng|x-canon-cr2|x-nikon-nef|x-sony-arw|x-panasonic-rw2|x-olympus-orf)$/;

/** IPTC without a declared charset is often UTF-8 read as Latin-1 by exifr; undo that when it decodes cleanly. */
function repairUtf8(s: string): string {
  if (!/[\u00c2-\u00f4][\u0080-\u00bf]/.test(s)) return s;
  const b = Buffer.from(s, 'latin1').toString('utf8');
  return b.includes('\ufffd') ? s : b;
}

type Block = Record<string, unknown>;

export async function extractImage(bytes: Buffer, mediaType: string): Promise<Extraction> {
  const ex = emptyExtraction();
  // WebP keeps EXIF as a bare TIFF structure in its EXIF chunk, which exifr reads as TIFF.
  const exifSource = mediaType === 'image/webp' ? webpExifChunk(bytes) : EXIF_READABLE.test(mediaType) ? bytes : undefined;
  if (exifSource) {
    const out = await readWithExifr(exifSource, ex);
    if (out) readExif(out, ex);
  }
  const packet = findXmpPacket(bytes);
  if (packet) {
    try {
      const xmp = parseXmp(packet);
      ex.metadata.raw['xmp'] = xmp;
      const m = xmpMetadata(xmp);
      // EXIF is the camera's own record; XMP only fills what EXIF lacks.
      fillMissing(ex.metadata, m);
      // An XMP-only file (sidecar) states EXIF dates as exif:/xmp: properties.
      fillMissing(ex.metadata, { modified: normaliseDateString(xmpString(xmp['tiff:DateTime'])), created: normaliseDateString(xmpString(xmp['exif:DateTimeDigitized'])) });
    } catch (err) {
      ex.problems.push(`XMP packet could not be parsed: ${errorMessage(err)}`);
    }
  }
  return ex;
}

const EXIFR_OPTIONS = {
  tiff: true, ifd0: {}, exif: true, gps: true, ifd1: true, iptc: true, xmp: false, icc: false, jfif: false,
  mergeOutput: false, reviveValues: false, translateValues: false, sanitize: true,
};

/** Strict parse first so a failure is reported; then a lenient one to keep what can be read. */
async function readWithExifr(source: Buffer, ex: Extraction): Promise<Record<string, Block> | undefined> {
  type Opts = Parameters<typeof exifr.parse>[1];
  try {
    return (await exifr.parse(source, { ...EXIFR_OPTIONS, silentErrors: false } as unknown as Opts)) as Record<string, Block> | undefined;
  } catch (err) {
    ex.problems.push(`EXIF could not be fully read (exifr): ${errorMessage(err)}`);
  }
  try {
    return (await exifr.parse(source, { ...EXIFR_OPTIONS, silentErrors: true } as unknown as Opts)) as Record<string, Block> | undefined;
  } catch {
    return undefined;
  }
}

/** Payload of the RIFF `EXIF` chunk of a WebP file (minus an `Exif\0\0` prefix some writers add). */
export function webpExifChunk(bytes: Buffer): Buffer | undefined {
  if (bytes.length < 12 || bytes.toString('latin1', 0, 4) !== 'RIFF' || bytes.toString('latin1', 8, 12) !== 'WEBP') return undefined;
  for (let p = 12; p + 8 <= bytes.length;) {
    const id = bytes.toString('latin1', p, p + 4);
    const size = bytes.readUInt32LE(p + 4);
    if (id === 'EXIF') {
      const data = bytes.subarray(p + 8, Math.min(bytes.length, p + 8 + size));
      return data.toString('latin1', 0, 6) === 'Exif\0\0' ? data.subarray(6) : data;
    }
    p += 8 + size + (size & 1);
  }
  return undefined;
}

function readExif(out: Record<string, Block>, ex: Extraction): void {
  const ifd0 = out['ifd0'] ?? {};
  const exif = out['exif'] ?? {};
  const gps = out['gps'] ?? {};
  const ifd1 = out['ifd1'];
  const raw: { [k: string]: Json } = {};
  for (const k of ['ifd0', 'exif', 'gps', 'ifd1', 'interop'] as const) if (out[k]) raw[k] = toJson(out[k]);
  if (Object.keys(raw).length) ex.metadata.raw['exif'] = raw;
  if (out['iptc']) {
    const iptc: { [k: string]: Json } = {};
    for (const [k, v] of Object.entries(out['iptc'])) {
      iptc[k] = typeof v === 'string' ? repairUtf8(v) : Array.isArray(v) ? v.map((x) => (typeof x === 'string' ? repairUtf8(x) : toJson(x))) : toJson(v);
    }
    ex.metadata.raw['iptc'] = iptc;
    const byline = iptc['Byline'] ?? iptc['By-line'];
    if (typeof byline === 'string' && !ex.metadata.author) ex.metadata.author = byline;
    else if (Array.isArray(byline) && typeof byline[0] === 'string') ex.metadata.author = byline[0];
  }
  const lat = typeof gps['latitude'] === 'number' ? gps['latitude'] : undefined;
  const lon = typeof gps['longitude'] === 'number' ? gps['longitude'] : undefined;
  assignDefined(ex.metadata, {
    cameraMake: str(ifd0['Make']),
    cameraModel: str(ifd0['Model']),
    software: str(ifd0['Software']),
    artist: str(ifd0['Artist']),
    copyright: str(ifd0['Copyright']),
    title: str(ifd0['ImageDescription']),
    modified: normaliseDateString(str(ifd0['ModifyDate'])),
    created: normaliseDateString(str(exif['CreateDate'])),
    dateTimeOriginal: normaliseDateString(str(exif['DateTimeOriginal'])),
    gps: lat !== undefined && lon !== undefined && Number.isFinite(lat) && Number.isFinite(lon) ? { lat, lon } : undefined,
    hasThumbnail: ifd1 && (ifd1['ThumbnailOffset'] !== undefined || ifd1['JPEGInterchangeFormat'] !== undefined || ifd1['StripOffsets'] !== undefined) ? true : undefined,
  });
  if (ex.metadata.artist && !ex.metadata.author) ex.metadata.author = ex.metadata.artist;
}

export const imageExtractor: Extractor = {
  name: 'image',
  mediaTypes: IMAGE_TYPES,
  extract: (bytes, mediaType) => extractImage(bytes, mediaType),
};
