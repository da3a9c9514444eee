import { promises as fsp } from 'node:fs';
import { Readable } from 'node:stream';
import { decompressRTF } from '@kenjiuno/decompressrtf';
import iconv from 'iconv-lite';
import type { IngestLimits } from '../limits.js';
import { codepageEncoding } from './codepage.js';
import type { ContainerEvent } from './types.js';

/*
 * A minimal TNEF (winmail.dat, MS-OXTNEF) attribute walker, hand-written: the npm TNEF parsers
 * (node-tnef and its forks) pull in a logger and a CLI argument parser, write files to disk, and
 * skip the MAPI property blocks that carry long file names, MIME types and embedded messages. The
 * format is a flat list of length-prefixed attributes, so reading it directly is short and safe.
 */

export const TNEF_SIGNATURE = 0x223e9f78;
const LVL_ATTACHMENT = 2;
const ATT_BODY = 0x0002800c;
const ATT_MSG_PROPS = 0x00069003;
const ATT_OEM_CODEPAGE = 0x00069007;
const ATT_ATTACH_REND_DATA = 0x00069002;
const ATT_ATTACH_TITLE = 0x00018010;
const ATT_ATTACH_DATA = 0x0006800f;
const ATT_ATTACHMENT = 0x00069005;

const PR_ATTACH_DATA_OBJ = 0x3701;
const PR_ATTACH_LONG_FILENAME = 0x3707;
const PR_ATTACH_FILENAME = 0x3704;
const PR_DISPLAY_NAME = 0x3001;
const PR_ATTACH_METHOD = 0x3705;
const PR_RTF_COMPRESSED = 0x1009;
const PR_HTML = 0x1013;
const ATTACH_EMBEDDED_MSG = 5;

interface TnefAttachment {
  title?: string;
  data?: Buffer;
  props: Map<number, PropValue>;
}

type PropValue = Buffer | string | number | bigint;

/** Everything in one TNEF stream that is worth yielding, with notes on what was damaged. */
export interface TnefContent {
  body?: string;
  rtf?: Buffer;
  html?: Buffer;
  attachments: TnefAttachment[];
  problems: string[];
}

/** Walks the attributes of a TNEF stream. Throws only when the signature is wrong. */
export function parseTnef(buf: Buffer): TnefContent {
  if (buf.length < 6 || buf.readUInt32LE(0) !== TNEF_SIGNATURE) {
    throw new Error('no TNEF signature (0x223E9F78)');
  }
  const out: TnefContent = { attachments: [], problems: [] };
  let encoding = 'windows1252';
  let current: TnefAttachment | undefined;
  let pos = 6;
  while (pos < buf.length) {
    if (pos + 9 > buf.length) {
      out.problems.push(`truncated attribute header at byte ${pos}`);
      break;
    }
    const level = buf.readUInt8(pos);
    const id = buf.readUInt32LE(pos + 1);
    const len = buf.readUInt32LE(pos + 5);
    const start = pos + 9;
    if (start + len + 2 > buf.length) {
      out.problems.push(`attribute 0x${id.toString(16)} at byte ${pos} runs past the end of the stream`);
      break;
    }
    const data = buf.subarray(start, start + len);
    pos = start + len + 2; // 2-byte checksum follows each attribute
    try {
      if (id === ATT_OEM_CODEPAGE && len >= 4) {
        encoding = codepageEncoding(data.readUInt32LE(0)) ?? encoding;
      } else if (id === ATT_ATTACH_REND_DATA) {
        current = { props: new Map() };
        out.attachments.push(current);
      } else if (level === LVL_ATTACHMENT && current && id === ATT_ATTACH_TITLE) {
        current.title = cString(data, encoding);
      } else if (level === LVL_ATTACHMENT && current && id === ATT_ATTACH_DATA) {
        current.data = data;
      } else if (level === LVL_ATTACHMENT && current && id === ATT_ATTACHMENT) {
        current.props = readMapiProps(data, encoding);
      } else if (id === ATT_BODY) {
        out.body = cString(data, encoding);
      } else if (id === ATT_MSG_PROPS) {
        const props = readMapiProps(data, encoding);
        const rtf = props.get(PR_RTF_COMPRESSED);
        if (Buffer.isBuffer(rtf)) out.rtf = Buffer.from(decompressRTF([...rtf]));
        const html = props.get(PR_HTML);
        if (Buffer.isBuffer(html)) out.html = html;
        else if (typeof html === 'string') out.html = Buffer.from(html, 'utf8');
      }
    } catch (err) {
      out.problems.push(`attribute 0x${id.toString(16)} not readable: ${(err as Error).message}`);
    }
  }
  return out;
}

function cString(data: Buffer, encoding: string): string {
  const end = data.indexOf(0);
  return iconv.decode(end >= 0 ? data.subarray(0, end) : data, encoding);
}

const FIXED_SIZES: Record<number, number> = {
  0x0001: 4, // PT_NULL
  0x0002: 4, // PT_SHORT, padded
  0x0003: 4, // PT_LONG
  0x0004: 4, // PT_FLOAT
  0x0005: 8, // PT_DOUBLE
  0x0006: 8, // PT_CURRENCY
  0x0007: 8, // PT_APPTIME
  0x000a: 4, // PT_ERROR
  0x000b: 4, // PT_BOOLEAN, padded
  0x0014: 8, // PT_I8
  0x0040: 8, // PT_SYSTIME
  0x0048: 16, // PT_CLSID
};
const PT_STRING8 = 0x001e;
const PT_UNICODE = 0x001f;
const PT_BINARY = 0x0102;
const PT_OBJECT = 0x000d;
const MV_FLAG = 0x1000;

/** Reads an MS-OXTNEF MAPI property list into tag id → first value. */
function readMapiProps(data: Buffer, encoding: string): Map<number, PropValue> {
  const props = new Map<number, PropValue>();
  let p = 0;
  const need = (n: number) => {
    if (p + n > data.length) throw new Error('MAPI property list truncated');
  };
  need(4);
  const count = data.readUInt32LE(p);
  p += 4;
  for (let i = 0; i < count; i++) {
    need(4);
    const type = data.readUInt16LE(p);
    const propId = data.readUInt16LE(p + 2);
    p += 4;
    if (propId >= 0x8000) {
      need(20);
      const kind = data.readUInt32LE(p + 16);
      p += 20;
      if (kind === 0) p += 4;
      else {
        need(4);
        const nameLen = data.readUInt32LE(p);
        p += 4 + pad4(nameLen);
      }
    }
    const base = type & ~MV_FLAG;
    const variable = base === PT_STRING8 || base === PT_UNICODE || base === PT_BINARY || base === PT_OBJECT;
    let values = 1;
    if (type & MV_FLAG || variable) {
      need(4);
      values = data.readUInt32LE(p);
      p += 4;
    }
    for (let v = 0; v < values; v++) {
      let value: PropValue;
      if (variable) {
        need(4);
        const size = data.readUInt32LE(p);
        p += 4;
        need(size);
        const raw = data.subarray(p, p + size);
        p += pad4(size);
        if (base === PT_STRING8) value = cString(raw, encoding);
        else if (base === PT_UNICODE) value = raw.toString('utf16le').replace(/\0+$/, '');
        else value = raw;
      } else {
        const size = FIXED_SIZES[base];
        if (size === undefined) throw new Error(`unknown MAPI property type 0x${base.toString(16)}`);
        need(size);
        value = size === 8 ? data.readBigUInt64LE(p) : size === 4 ? data.readUInt32LE(p) : data.subarray(p, p + size);
        p += size;
      }
      if (v === 0) props.set(propId, value);
    }
  }
  return props;
}

function pad4(n: number): number {
  return (n + 3) & ~3;
}

/** 16-byte interface id that precedes a PT_OBJECT value. */
const IID_SIZE = 16;

/** The file name and bytes to yield for one attachment, or undefined when it carries no data. */
function attachmentFile(a: TnefAttachment, index: number): { name: string; data: Buffer } | undefined {
  const str = (id: number) => {
    const v = a.props.get(id);
    return typeof v === 'string' && v.trim() ? v.trim() : undefined;
  };
  let name = str(PR_ATTACH_LONG_FILENAME) ?? a.title ?? str(PR_ATTACH_FILENAME) ?? str(PR_DISPLAY_NAME);
  let data = a.data;
  const obj = a.props.get(PR_ATTACH_DATA_OBJ);
  if (!data && Buffer.isBuffer(obj) && obj.length > IID_SIZE) {
    data = obj.subarray(IID_SIZE);
    // An attached Outlook item is itself a TNEF stream; name it so the pipeline reads it again.
    if (a.props.get(PR_ATTACH_METHOD) === ATTACH_EMBEDDED_MSG) name = `${name ?? `message-${index + 1}`}.tnef`;
  }
  if (!data) return undefined;
  return { name: name ?? `attachment-${index + 1}`, data };
}

/** A file name safe as an entry name, unique within this TNEF stream. */
function entryName(name: string, used: Set<string>): string {
  let safe = name.replace(/[/\\\0]/g, '_').replace(/^\.+$/, '_');
  if (safe === '') safe = '_';
  let candidate = safe;
  for (let n = 2; used.has(candidate); n++) candidate = `${n}-${safe}`;
  used.add(candidate);
  return candidate;
}

/**
 * Yields the files inside a TNEF stream: every attachment (original bytes), plus the message body
 * as `body.txt` / `body.html` / `body.rtf` (decompressed) when present, so nothing is dropped.
 */
export async function* readTnef(filePath: string, limits: IngestLimits): AsyncIterable<ContainerEvent> {
  let content: TnefContent;
  try {
    content = parseTnef(await fsp.readFile(filePath));
  } catch (err) {
    yield { type: 'problem', reason: `${filePath} is not a readable TNEF (winmail.dat) stream: ${(err as Error).message}`, code: 'corrupt' };
    return;
  }
  const files: { name: string; data: Buffer }[] = [];
  if (content.body !== undefined) files.push({ name: 'body.txt', data: Buffer.from(content.body, 'utf8') });
  if (content.html) files.push({ name: 'body.html', data: content.html });
  if (content.rtf) files.push({ name: 'body.rtf', data: content.rtf });
  content.attachments.forEach((a, i) => {
    const f = attachmentFile(a, i);
    if (f) files.push(f);
  });
  const used = new Set<string>();
  let total = 0;
  for (const [i, f] of files.entries()) {
    if (i >= limits.maxEntries) {
      yield { type: 'problem', reason: `more than ${limits.maxEntries} files in the TNEF stream`, code: 'limit-entries' };
      break;
    }
    total += f.data.length;
    if (total > limits.maxExpandedBytes) {
      yield { type: 'problem', name: f.name, reason: `files exceed ${limits.maxExpandedBytes} bytes`, code: 'limit-bytes' };
      break;
    }
    yield { type: 'entry', name: entryName(f.name, used), size: f.data.length, stream: Readable.from([f.data]) };
  }
  for (const p of content.problems) yield { type: 'problem', reason: `${filePath}: ${p}`, code: 'corrupt' };
}
