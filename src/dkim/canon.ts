// Canonicalisation (RFC 6376 3.4). Headers work on latin1 strings, bodies on bytes.
import type { HeaderField } from './message.js';

export type Canon = 'simple' | 'relaxed';

/** Canonical form of one header field, with its CRLF. */
export function canonHeader(field: HeaderField, canon: Canon): string {
  return canonHeaderText(field.raw, canon) + '\r\n';
}

/** Canonicalises `name:value` text (continuations joined by CRLF), without trailing CRLF. */
export function canonHeaderText(raw: string, canon: Canon): string {
  if (canon === 'simple') return raw;
  const colon = raw.indexOf(':');
  const name = raw.slice(0, colon).replace(/[ \t]+$/, '').toLowerCase();
  const value = raw
    .slice(colon + 1)
    .replace(/\r\n/g, '')
    .replace(/[ \t]+/g, ' ')
    .replace(/^ /, '')
    .replace(/ $/, '');
  return `${name}:${value}`;
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
    if (eq >= 0 && p.slice(0, eq).replace(/[ \t\r\n]+/g, '') === 'b') parts[i] = p.slice(0, eq + 1);
  }
  return raw.slice(0, colon + 1) + parts.join(';');
}

/**
 * Canonical body bytes. Line ends become CRLF (bare LF is accepted: messages saved by Unix tools),
 * trailing empty lines are dropped; simple keeps one CRLF for an empty body, relaxed keeps nothing.
 */
export function canonBody(body: Buffer, canon: Canon): Buffer {
  const out = Buffer.allocUnsafe(body.length * 2 + 2);
  let o = 0;
  let pendingEmpty = 0;
  let pos = 0;
  const len = body.length;
  while (pos < len) {
    const nl = body.indexOf(10, pos);
    const end = nl < 0 ? len : nl;
    const contentEnd = end > pos && body[end - 1] === 13 ? end - 1 : end;
    if (canon === 'simple') {
      if (contentEnd === pos) pendingEmpty++;
      else {
        for (; pendingEmpty > 0; pendingEmpty--) o = crlf(out, o);
        o += body.copy(out, o, pos, contentEnd);
        o = crlf(out, o);
      }
    } else {
      let started = false;
      let inWsp = false;
      for (let i = pos; i < contentEnd; i++) {
        const c = body[i] as number;
        if (c === 32 || c === 9) {
          inWsp = true;
          continue;
        }
        if (!started) {
          for (; pendingEmpty > 0; pendingEmpty--) o = crlf(out, o);
          started = true;
        }
        if (inWsp) {
          out[o++] = 32;
          inWsp = false;
        }
        out[o++] = c;
      }
      if (started) o = crlf(out, o);
      else pendingEmpty++;
    }
    pos = nl < 0 ? len : nl + 1;
  }
  if (o === 0 && canon === 'simple') o = crlf(out, o);
  return out.subarray(0, o);
}

function crlf(out: Buffer, o: number): number {
  out[o] = 13;
  out[o + 1] = 10;
  return o + 2;
}
