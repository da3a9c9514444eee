// MS-OLEPS property set streams (\x05SummaryInformation, \x05DocumentSummaryInformation).
// Hand-written because the cfb package reads streams but not property sets, and the maintained
// parsers live inside large spreadsheet libraries. Strings in VT_LPSTR follow the set's code page
// (property 1), which is how a Russian Office writes author names in cp1251.
import iconv from 'iconv-lite';
import { isoFromFiletime } from './dates.js';

export type PropValue = string | number | boolean | string[] | { filetime: string | undefined; ticks: bigint } | null;

export interface PropertySet {
  fmtid: string;
  codepage?: number;
  /** Property id → value. */
  props: Map<number, PropValue>;
  /** Dictionary (custom property names), when present: id → name. */
  names: Map<number, string>;
}

export const FMTID_SUMMARY = 'f29f85e0-4ff9-1068-ab91-08002b27b3d9';
export const FMTID_DOCSUMMARY = 'd5cdd502-2e9c-101b-9397-08002b2cf9ae';
export const FMTID_USER_DEFINED = 'd5cdd505-2e9c-101b-9397-08002b2cf9ae';

function guid(b: Buffer, o: number): string {
  const h = (start: number, len: number, le: boolean): string => {
    const s = b.subarray(o + start, o + start + len);
    return Buffer.from(le ? [...s].reverse() : s).toString('hex');
  };
  return `${h(0, 4, true)}-${h(4, 2, true)}-${h(6, 2, true)}-${h(8, 2, false)}-${h(10, 6, false)}`;
}

/** Node name of a Windows code page for iconv-lite; unknown pages fall back to cp1252. */
export function codepageName(cp: number | undefined): string {
  if (cp === undefined) return 'cp1252';
  if (cp === 1200) return 'utf16le';
  if (cp === 1201) return 'utf16be';
  if (cp === 65001) return 'utf8';
  if (cp === 10000) return 'macintosh';
  if (cp === 20127) return 'ascii';
  if (cp === 28591) return 'latin1';
  const name = cp >= 28592 && cp <= 28605 ? `iso-8859-${cp - 28590}` : `cp${cp}`;
  return iconv.encodingExists(name) ? name : 'cp1252';
}

function decodeString(bytes: Buffer, cp: number | undefined): string {
  return iconv.decode(bytes, codepageName(cp)).replace(/\0[\s\S]*$/, '');
}

class Reader {
  constructor(private readonly b: Buffer) {}
  u16(o: number): number {
    return o + 2 <= this.b.length ? this.b.readUInt16LE(o) : 0;
  }
  u32(o: number): number {
    return o + 4 <= this.b.length ? this.b.readUInt32LE(o) : 0;
  }
  i32(o: number): number {
    return o + 4 <= this.b.length ? this.b.readInt32LE(o) : 0;
  }
  slice(o: number, n: number): Buffer {
    if (o < 0 || n < 0 || o + n > this.b.length) throw new Error(`property value runs past the end of the stream (offset ${o}, length ${n})`);
    return this.b.subarray(o, o + n);
  }
}

const VT_I2 = 2, VT_I4 = 3, VT_R8 = 5, VT_BOOL = 11, VT_VARIANT = 12, VT_UI4 = 19, VT_I8 = 20;
const VT_LPSTR = 30, VT_LPWSTR = 31, VT_FILETIME = 64, VT_BLOB = 65, VT_CF = 71, VT_VECTOR = 0x1000;

/** Reads one typed value at `o`; returns the value and the bytes consumed (for vectors). */
function readValue(r: Reader, o: number, cp: number | undefined, depth = 0): [PropValue, number] {
  const type = r.u16(o);
  const v = o + 4;
  if (depth > 2) return [null, 4];
  if (type & VT_VECTOR) {
    const count = Math.min(r.u32(v), 10000);
    const base = type & 0x0fff;
    const out: string[] = [];
    let p = v + 4;
    for (let i = 0; i < count; i++) {
      if (base === VT_VARIANT) {
        const [x, n] = readValue(r, p, cp, depth + 1);
        out.push(x === null ? '' : typeof x === 'object' && !Array.isArray(x) ? x.filetime ?? '' : String(x));
        p += n;
      } else {
        const [x, n] = readScalar(r, base, p, cp);
        out.push(x === null ? '' : String(x));
        p += n;
      }
    }
    return [out, p - o];
  }
  const [x, n] = readScalar(r, type, v, cp);
  return [x, n + 4];
}

function readScalar(r: Reader, type: number, v: number, cp: number | undefined): [PropValue, number] {
  switch (type) {
    case VT_I2:
      return [r.u16(v) << 16 >> 16, 4];
    case VT_I4:
      return [r.i32(v), 4];
    case VT_UI4:
      return [r.u32(v), 4];
    case VT_R8:
      return [r.slice(v, 8).readDoubleLE(0), 8];
    case VT_I8:
      return [Number(r.slice(v, 8).readBigInt64LE(0)), 8];
    case VT_BOOL:
      return [r.u16(v) !== 0, 4];
    case VT_LPSTR: {
      const n = r.u32(v);
      const pad = (4 + n + 3) & ~3;
      if (cp === 1200) return [decodeString(r.slice(v + 4, n * 2), 1200), (4 + n * 2 + 3) & ~3];
      return [decodeString(r.slice(v + 4, n), cp), pad];
    }
    case VT_LPWSTR: {
      const n = r.u32(v);
      return [decodeString(r.slice(v + 4, n * 2), 1200), (4 + n * 2 + 3) & ~3];
    }
    case VT_FILETIME: {
      const lo = r.u32(v);
      const hi = r.u32(v + 4);
      return [{ filetime: isoFromFiletime(lo, hi), ticks: (BigInt(hi) << 32n) + BigInt(lo) }, 8];
    }
    case VT_BLOB:
    case VT_CF: {
      const n = r.u32(v);
      return [`<${n} bytes>`, (4 + n + 3) & ~3];
    }
    default:
      return [null, 4];
  }
}

function readDictionary(r: Reader, o: number, cp: number | undefined): Map<number, string> {
  const names = new Map<number, string>();
  const count = Math.min(r.u32(o), 10000);
  let p = o + 4;
  for (let i = 0; i < count; i++) {
    const id = r.u32(p);
    const len = r.u32(p + 4);
    p += 8;
    if (cp === 1200) {
      names.set(id, decodeString(r.slice(p, len * 2), 1200));
      p += (len * 2 + 3) & ~3;
    } else {
      names.set(id, decodeString(r.slice(p, len), cp));
      p += len;
    }
  }
  return names;
}

/** Parses every property set in a property set stream. Throws on a malformed header. */
export function parsePropertySetStream(stream: Buffer): PropertySet[] {
  const r = new Reader(stream);
  if (r.u16(0) !== 0xfffe) throw new Error('not a property set stream (byte order mark missing)');
  const nSets = Math.min(r.u32(24), 8);
  const sets: PropertySet[] = [];
  for (let s = 0; s < nSets; s++) {
    const fmtid = guid(stream, 28 + s * 20);
    const start = r.u32(28 + s * 20 + 16);
    const count = Math.min(r.u32(start + 4), 4096);
    const entries: [number, number][] = [];
    for (let i = 0; i < count; i++) entries.push([r.u32(start + 8 + i * 8), r.u32(start + 12 + i * 8)]);
    const set: PropertySet = { fmtid, props: new Map(), names: new Map() };
    const cpEntry = entries.find(([id]) => id === 1);
    if (cpEntry) set.codepage = r.u16(start + cpEntry[1] + 4);
    for (const [id, off] of entries) {
      if (id === 1) continue;
      try {
        if (id === 0) set.names = readDictionary(r, start + off, set.codepage);
        else set.props.set(id, readValue(r, start + off, set.codepage)[0]);
      } catch {
        set.props.set(id, null);
      }
    }
    sets.push(set);
  }
  return sets;
}
