// Canonicalisation (RFC 6376 3.4). Headers work on latin1 strings, bodies on bytes.
import type { HeaderField } from './message.js';
import { trimFws } from './tags.js';

export type Canon = 'simple' | 'relaxed';

/** Canonical form of one header field, with its CRLF. */
export function canonHeader(field: HeaderField, canon: Canon): string {
  return canonHeaderText(field.raw, canon) + '\r\n';
}

/** Canonicalises `name:value` text (continuations joined by CRLF), without trailing CRLF. */
export function canonHeaderText(raw: string, canon: Canon): string {
  if (canon === 'simple') return raw;
  const colon = raw.indexOf(':');
  let name = raw.slice(0, colon);
  if (isWsp(name.charCodeAt(name.length - 1))) name = name.replace(/[ \t]+$/, '');
  let value = raw.slice(colon + 1);
  // Plain string checks first: most values are unfolded and have no WSP runs, and skipping the
  // regex passes over them is measurably faster on small messages.
  if (value.includes('\r\n')) value = value.replace(/\r\n/g, '');
  if (value.includes('\t') || value.includes('  ')) value = value.replace(/[ \t]+/g, ' ');
  let a = 0;
  let b = value.length;
  if (a < b && value.charCodeAt(a) === 32) a++;
  if (b > a && value.charCodeAt(b - 1) === 32) b--;
  return `${name.toLowerCase()}:${a === 0 && b === value.length ? value : value.slice(a, b)}`;
}

function isWsp(c: number): boolean {
  return c === 32 || c === 9;
}

/**
 * The signature header with its b= value removed, as it enters its own hash (RFC 6376 3.7).
 * Works on the raw text so folding inside other tags is preserved for simple canonicalisation.
 */
export function withoutSignatureValue(raw: string): string {
  const colon = raw.indexOf(':');
  const parts = raw.slice(colon + 1).split(';');
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i] as string;
    const eq = p.indexOf('=');
    if (eq >= 0 && trimFws(p.slice(0, eq)) === 'b') parts[i] = p.slice(0, eq + 1);
  }
  return raw.slice(0, colon + 1) + parts.join(';');
}

/**
 * Canonical body bytes. Line ends become CRLF (bare LF is accepted: messages saved by Unix tools),
 * trailing empty lines are dropped; simple keeps one CRLF for an empty body, relaxed keeps nothing.
 */
export function canonBody(body: Buffer, canon: Canon): Buffer {
  return Buffer.concat(canonBodyParts(body, canon));
}

const CRLF = Buffer.from('\r\n');
const TWO_SPACES = Buffer.from('  ');

/**
 * The canonical body as slices whose concatenation is `canonBody(body, canon)`. Lines that
 * canonicalisation leaves as they are (CRLF-terminated; in relaxed mode also without HTAB, SP runs
 * or trailing WSP) stay in the original buffer and consecutive ones form one slice, so a typical
 * body is hashed in place instead of being copied line by line.
 */
export function canonBodyParts(body: Buffer, canon: Canon): Buffer[] {
  const relaxed = canon === 'relaxed';
  const len = body.length;
  const parts: Buffer[] = [];
  let runStart = -1; // start of the current run of untouched lines, -1 when there is none
  // Output state after the last non-empty line: everything after it is trailing empty lines.
  let keptParts = 0;
  let keptRunStart = -1;
  let keptEnd = 0;
  // Next HTAB and next SP SP at or after the current line (relaxed only); searched natively and
  // only moved forward, so the body is scanned once for each.
  let nextTab = -1;
  let nextSpaces = -1;
  if (relaxed) {
    nextTab = body.indexOf(9);
    nextSpaces = body.indexOf(TWO_SPACES);
  }
  let pos = 0;
  while (pos < len) {
    const nl = body.indexOf(10, pos);
    const lineEnd = nl < 0 ? len : nl + 1;
    const end = nl < 0 ? len : nl;
    const contentEnd = end > pos && body[end - 1] === 13 ? end - 1 : end;
    let untouched = nl >= 0 && contentEnd === nl - 1;
    let empty = contentEnd === pos;
    if (relaxed && !empty) {
      if (nextTab >= 0 && nextTab < pos) nextTab = body.indexOf(9, pos);
      if (nextSpaces >= 0 && nextSpaces < pos) nextSpaces = body.indexOf(TWO_SPACES, pos);
      const last = body[contentEnd - 1];
      const rewrite = (nextTab >= 0 && nextTab < contentEnd) || (nextSpaces >= 0 && nextSpaces + 1 < contentEnd) || last === 32 || last === 9;
      if (rewrite) untouched = false;
    }
    if (untouched) {
      if (runStart < 0) runStart = pos;
    } else {
      if (runStart >= 0) parts.push(body.subarray(runStart, pos));
      runStart = -1;
      if (relaxed && !empty) {
        const line = relaxLine(body, pos, contentEnd);
        empty = line.length === 0;
        if (!empty) parts.push(line);
      } else if (!empty) parts.push(body.subarray(pos, contentEnd));
      parts.push(CRLF);
    }
    if (!empty) {
      keptParts = parts.length;
      keptRunStart = runStart;
      keptEnd = lineEnd;
    }
    pos = lineEnd;
  }
  const out = parts.slice(0, keptParts);
  if (keptRunStart >= 0) out.push(body.subarray(keptRunStart, keptEnd));
  if (out.length === 0 && !relaxed) out.push(CRLF);
  return out;
}

/** One line's content with WSP runs reduced to one SP and trailing WSP removed (RFC 6376 3.4.4). */
function relaxLine(body: Buffer, start: number, end: number): Buffer {
  const out = Buffer.allocUnsafe(end - start);
  let o = 0;
  let inWsp = false;
  for (let i = start; i < end; i++) {
    const c = body[i] as number;
    if (c === 32 || c === 9) {
      inWsp = true;
      continue;
    }
    if (inWsp) {
      out[o++] = 32;
      inWsp = false;
    }
    out[o++] = c;
  }
  return out.subarray(0, o);
}
