import { fileTypeFromBuffer } from 'file-type';
import { extname } from 'node:path';
import type { ItemKind } from '../model.js';
import { messageStart } from './message-start.js';

export interface Sniffed {
  mediaType: string;
  kind: ItemKind;
}

/** Media types the pipeline expands with `openContainer` (documents that are zips are not among them). */
const CONTAINERS = new Set(['application/zip', 'application/x-tar', 'application/gzip', 'application/mbox', 'message/x-emlx']);

export function isContainer(mediaType: string): boolean {
  return CONTAINERS.has(mediaType);
}

/**
 * Identifies a file by its first bytes (64 KiB is plenty); the name's extension is only a tie-breaker
 * for content that does not say (plain text, unrecognised binary, OLE files whose directory is further in).
 * `file-type` knows binary formats; mail formats and text kinds are recognised here because it does not.
 */
export async function sniffMediaType(head: Buffer, name: string): Promise<Sniffed> {
  const ext = extname(name).slice(1).toLowerCase();
  const mediaType = await detect(head, ext);
  return { mediaType, kind: kindOf(mediaType) };
}

async function detect(head: Buffer, ext: string): Promise<string> {
  if (head.length === 0) return 'application/x-empty';
  // UTF-16 text opens with FF FE or FE FF, which file-type takes for an MPEG audio frame.
  if (isUtf16Text(head)) return TEXT_EXT[ext] ?? 'text/plain';
  let found: { mime: string; ext: string } | undefined;
  try {
    found = await fileTypeFromBuffer(head);
  } catch {
    found = undefined; // a malformed head must not stop the ingest; fall back to our own tests
  }
  if (found) {
    if (found.mime === 'application/x-cfb') return refineCfb(head, ext);
    if (found.mime === 'application/zip') return refineZip(head) ?? 'application/zip';
    // file-type names PST files like Outlook messages; they are mailboxes, not one message.
    if (found.mime === 'application/vnd.ms-outlook' && found.ext === 'pst') return 'application/vnd.ms-outlook-pst';
    return found.mime;
  }
  return detectText(head, ext);
}

// ---- binary refinements ------------------------------------------------------------------

const OLE_STREAMS: [string, string][] = [
  ['__substg1.0_', 'application/vnd.ms-outlook'],
  ['EncryptedPackage', 'application/x-ooxml-encrypted'],
  ['WordDocument', 'application/msword'],
  ['PowerPoint Document', 'application/vnd.ms-powerpoint'],
  ['Workbook', 'application/vnd.ms-excel'],
  ['Book', 'application/vnd.ms-excel'],
];
const OLE_EXT: Record<string, string> = {
  doc: 'application/msword',
  dot: 'application/msword',
  xls: 'application/vnd.ms-excel',
  ppt: 'application/vnd.ms-powerpoint',
  msg: 'application/vnd.ms-outlook',
};

/** OLE compound files (doc, xls, ppt, msg) share one magic; their directory names the streams (UTF-16LE). */
function refineCfb(head: Buffer, ext: string): string {
  for (const [stream, type] of OLE_STREAMS) {
    if (head.includes(Buffer.from(stream, 'utf16le'))) return type;
  }
  return OLE_EXT[ext] ?? 'application/x-cfb';
}

/**
 * file-type recognises OOXML only when its first entry is a telling one; walk the local headers in
 * the head to find `[Content_Types].xml` plus the part folder wherever they are.
 */
function refineZip(head: Buffer): string | undefined {
  const names = localEntryNames(head);
  if (!names.includes('[Content_Types].xml')) return undefined;
  if (names.some((n) => n.startsWith('word/'))) return 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
  if (names.some((n) => n.startsWith('xl/'))) return 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
  if (names.some((n) => n.startsWith('ppt/'))) return 'application/vnd.openxmlformats-officedocument.presentationml.presentation';
  return undefined;
}

function localEntryNames(head: Buffer): string[] {
  const names: string[] = [];
  let pos = 0;
  while (pos + 30 <= head.length && head.readUInt32LE(pos) === 0x04034b50) {
    const flags = head.readUInt16LE(pos + 6);
    const compressed = head.readUInt32LE(pos + 18);
    const nameLen = head.readUInt16LE(pos + 26);
    const extraLen = head.readUInt16LE(pos + 28);
    names.push(head.subarray(pos + 30, pos + 30 + nameLen).toString('latin1'));
    // With a data descriptor the size is not in the local header: cannot step further.
    if (flags & 0x08 && compressed === 0) break;
    pos += 30 + nameLen + extraLen + compressed;
  }
  return names;
}

// ---- text formats ------------------------------------------------------------------------

const MAIL_HEADERS = new Set([
  'from', 'to', 'cc', 'subject', 'date', 'received', 'return-path', 'message-id', 'dkim-signature',
  'delivered-to', 'arc-seal', 'x-original-to', 'envelope-to', 'mime-version', 'sender', 'reply-to',
]);
const TEXT_EXT: Record<string, string> = {
  csv: 'text/csv',
  tsv: 'text/tab-separated-values',
  md: 'text/markdown',
  htm: 'text/html',
  html: 'text/html',
  json: 'application/json',
  xml: 'application/xml',
  ics: 'text/calendar',
  vcf: 'text/vcard',
};

function detectText(head: Buffer, ext: string): string {
  // Mail is recognised by its header alone: a body may hold raw 8-bit or binary parts. What an
  // exporter put in front of the header (a BOM, blank lines) does not make it a text document.
  const framed = messageStart(head, { envelope: false });
  const whole = head.length < SNIFF_BYTES;
  if (looksLikeText(headerPart(head, framed))) {
    const text = head.toString('latin1', framed);
    if (isEmlx(text, whole)) return 'message/x-emlx';
    if (isMbox(text, whole)) return 'application/mbox';
    if (headerBlock(text, whole)) return 'message/rfc822';
  }
  if (!looksLikeText(head)) return 'application/octet-stream';
  const text = stripBom(head).toString('latin1');
  const opening = text.trimStart().slice(0, 512).toLowerCase();
  if (/^(<!--[\s\S]*?-->\s*)*<(!doctype html|html|head|body)\b/.test(opening)) return 'text/html';
  if (opening.startsWith('<?xml')) return 'application/xml';
  if (isJson(text, head.length)) return 'application/json';
  const delimited = delimiterOf(text);
  if (delimited === '\t') return 'text/tab-separated-values';
  if (delimited) return 'text/csv';
  return TEXT_EXT[ext] ?? 'text/plain';
}

/** The pipeline sniffs the first 64 KiB: a shorter head is the whole file, its last line complete. */
const SNIFF_BYTES = 64 * 1024;

/** From `start` up to the first blank line (the header section of a message, if it is one). */
function headerPart(head: Buffer, start: number): Buffer {
  const lf = head.indexOf('\n\n', start);
  const crlf = head.indexOf('\r\n\r\n', start);
  const ends = [lf, crlf].filter((n) => n >= 0);
  return head.subarray(start, ends.length > 0 ? Math.min(...ends) : head.length);
}

function isUtf16Text(head: Buffer): boolean {
  const le = head[0] === 0xff && head[1] === 0xfe;
  if (!le && !(head[0] === 0xfe && head[1] === 0xff)) return false;
  const units = head.subarray(2, 2 + Math.min(4096, (head.length - 2) & ~1));
  const swapped = le ? units : Buffer.from(units).swap16();
  const text = swapped.toString('utf16le');
  let control = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0) return false;
    if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) control++;
  }
  return control <= text.length / 100;
}

function stripBom(b: Buffer): Buffer {
  return b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf ? b.subarray(3) : b;
}

/** No NUL byte and few control characters: text in some 8-bit or UTF-8 encoding. */
function looksLikeText(b: Buffer): boolean {
  let control = 0;
  for (const byte of b) {
    if (byte === 0) return false;
    if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d && byte !== 0x0c && byte !== 0x1b) control++;
  }
  return control <= b.length / 100;
}

const FIELD = /^([!-9;-~]+)[ \t]*:/;

/**
 * An RFC 5322 header block at the start: every line a field or a continuation up to the blank line
 * (or the end of what we have), at least two fields, at least one that only mail carries.
 */
function headerBlock(text: string, whole: boolean): boolean {
  const lines = text.split('\n');
  if (text.length === 0 || !FIELD.test(lines[0] ?? '')) return false;
  let fields = 0;
  let mail = false;
  const complete = whole ? lines.length : lines.length - 1; // a cut head may end mid-line
  for (let i = 0; i < complete; i++) {
    const line = (lines[i] ?? '').replace(/\r$/, '');
    if (line === '') break;
    if (/^[ \t]/.test(line)) continue;
    const m = FIELD.exec(line);
    if (!m?.[1]) return false;
    fields++;
    if (MAIL_HEADERS.has(m[1].toLowerCase())) mail = true;
  }
  return fields >= 2 && mail;
}

/** mbox: a `From ` envelope line (sender, then a ctime-style date, or followed by a header block). */
function isMbox(text: string, whole: boolean): boolean {
  const m = /^From ([^\r\n]*)\r?\n/.exec(text);
  if (!m) return false;
  const ctime = /^\S+\s+.*\b\d{1,2}:\d{2}(:\d{2})?\b.*\b\d{4}\b/.test(m[1] ?? '');
  return ctime || headerBlock(text.slice(m[0].length), whole);
}

/** Apple Mail .emlx: the message's byte count on the first line, then the message. */
function isEmlx(text: string, whole: boolean): boolean {
  const m = /^[ \t]*\d+[ \t]*\r?\n/.exec(text);
  return m !== null && headerBlock(text.slice(m[0].length), whole);
}

function isJson(text: string, length: number): boolean {
  const t = text.trim();
  if (!/^[[{]/.test(t)) return false;
  try {
    JSON.parse(t);
    return true;
  } catch {
    // A head cut mid-document cannot parse; accept it if it opens like a JSON object or array.
    return length >= 64 * 1024 && /^(\{\s*"|\[\s*[[{"\d-])/.test(t);
  }
}

/** The delimiter a table uses consistently on its first lines (at least two lines, one delimiter each). */
function delimiterOf(text: string): string | undefined {
  const lines = text.split(/\r?\n/).slice(0, 20);
  if (lines.length > 1 && !text.endsWith('\n')) lines.pop(); // cut line
  const rows = lines.filter((l) => l.length > 0);
  if (rows.length < 2) return undefined;
  for (const d of [',', ';', '\t', '|']) {
    const counts = rows.map((l) => l.split(d).length - 1);
    const first = counts[0] ?? 0;
    if (first > 0 && counts.every((c) => c === first)) return d;
  }
  return undefined;
}

// ---- kinds -------------------------------------------------------------------------------

const ARCHIVES = new Set([
  'application/zip', 'application/x-tar', 'application/gzip', 'application/x-bzip2', 'application/x-7z-compressed',
  'application/x-rar-compressed', 'application/x-xz', 'application/mbox', 'message/x-emlx', 'application/vnd.ms-outlook-pst',
]);

export function kindOf(mediaType: string): ItemKind {
  if (mediaType === 'message/rfc822' || mediaType === 'application/vnd.ms-outlook') return 'email';
  if (ARCHIVES.has(mediaType)) return 'archive';
  if (mediaType.startsWith('image/')) return 'image';
  if (
    mediaType.startsWith('text/') ||
    mediaType === 'application/pdf' ||
    mediaType === 'application/rtf' ||
    mediaType === 'application/msword' ||
    mediaType === 'application/epub+zip' ||
    mediaType === 'application/x-ooxml-encrypted' ||
    mediaType === 'application/json' ||
    mediaType === 'application/xml' ||
    mediaType.startsWith('application/vnd.ms-') ||
    mediaType.startsWith('application/vnd.openxmlformats-officedocument.') ||
    mediaType.startsWith('application/vnd.oasis.opendocument.') ||
    mediaType.startsWith('application/vnd.sun.xml.')
  ) {
    return 'document';
  }
  return 'other';
}
