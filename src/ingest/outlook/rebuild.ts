import { createHash } from 'node:crypto';
import type { MailAddress, OutlookAttachment, OutlookMessage, RebuiltOrigin } from './types.js';

/*
 * Serialises an Outlook item as an RFC 822 / MIME message. Hand-written rather than using a mail
 * composer (nodemailer's MailComposer and similar) because those add random boundaries, the
 * current date and their own Message-ID, and rewrite header fields: here the output must be a
 * pure function of the stored item, and the stored transport headers must be kept verbatim.
 */

const CRLF = '\r\n';

/** Header fields of the stored header block that describe the original MIME body, which we replace. */
const REPLACED_FIELDS = new Set(['content-type', 'content-transfer-encoding', 'content-disposition']);

/** Prefix under which replaced original fields are kept, so the evidence is not lost. */
export const ORIGINAL_FIELD_PREFIX = 'X-Tamis-Original-';
export const REBUILT_HEADER = 'X-Tamis-Rebuilt';

/** Rebuilds one message; same item in, same bytes out. */
export function rebuildMessage(msg: OutlookMessage, origin: RebuiltOrigin): Buffer {
  const head: string[] = [`${REBUILT_HEADER}: ${origin}`];
  const stored = msg.transportHeaders ? storedHeaderFields(msg.transportHeaders) : [];
  if (stored.length > 0) {
    for (const field of stored) {
      const name = field.slice(0, field.indexOf(':')).trim().toLowerCase();
      head.push(REPLACED_FIELDS.has(name) ? ORIGINAL_FIELD_PREFIX + field : field);
    }
    if (!stored.some((f) => /^mime-version\s*:/i.test(f))) head.push('MIME-Version: 1.0');
  } else {
    head.push(...synthesisedHeaderFields(msg), 'MIME-Version: 1.0');
  }
  const body = bodyEntity(msg, origin);
  return Buffer.concat([Buffer.from(head.join(CRLF) + CRLF, 'utf8'), body]);
}

/**
 * Splits the stored header block into unfolded-but-verbatim fields (continuation lines kept).
 * Line endings become CRLF; Exchange's leading "Microsoft Mail Internet Headers Version 2.0"
 * banner, which is not a header field, is dropped.
 */
export function storedHeaderFields(block: string): string[] {
  const lines = block.split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  if (lines[0] !== undefined && /^Microsoft Mail Internet Headers Version/i.test(lines[0])) lines.shift();
  const fields: string[] = [];
  for (const line of lines) {
    if (line === '') break; // a blank line ends a header block; anything after it is not headers
    if (/^[ \t]/.test(line) && fields.length > 0) {
      fields[fields.length - 1] += CRLF + line;
    } else if (line.includes(':')) {
      fields.push(line);
    }
  }
  return fields;
}

function synthesisedHeaderFields(msg: OutlookMessage): string[] {
  const out: string[] = [];
  if (msg.date) out.push(`Date: ${rfc5322Date(msg.date)}`);
  if (msg.from) out.push(`From: ${formatAddress(msg.from)}`);
  if (msg.to.length > 0) out.push(`To: ${formatAddressList(msg.to)}`);
  if (msg.cc.length > 0) out.push(`Cc: ${formatAddressList(msg.cc)}`);
  if (msg.bcc.length > 0) out.push(`Bcc: ${formatAddressList(msg.bcc)}`);
  if (msg.subject !== undefined) out.push(`Subject: ${encodeWords(msg.subject)}`);
  if (msg.messageId) out.push(`Message-ID: ${msg.messageId.trim()}`);
  if (msg.messageClass) out.push(`X-Tamis-Message-Class: ${encodeWords(msg.messageClass)}`);
  return out;
}

/** The MIME entity (its own header fields, blank line, body) carrying text, HTML and attachments. */
function bodyEntity(msg: OutlookMessage, origin: RebuiltOrigin): Buffer {
  const textParts: Buffer[] = [];
  if (msg.text !== undefined || msg.html === undefined) textParts.push(textPart('plain', msg.text ?? ''));
  if (msg.html !== undefined) textParts.push(textPart('html', msg.html));
  const main = textParts.length === 1 ? (textParts[0] as Buffer) : multipart('alternative', textParts);
  const attachments = [...msg.attachments];
  if (msg.rtf && msg.html === undefined) {
    attachments.push({ fileName: 'body.rtf', mimeType: 'application/rtf', data: msg.rtf });
  }
  if (attachments.length === 0) return main;
  return multipart('mixed', [main, ...attachments.map((a) => attachmentPart(a, origin))]);
}

function textPart(subtype: 'plain' | 'html', text: string): Buffer {
  return entity(
    [`Content-Type: text/${subtype}; charset=utf-8`, 'Content-Transfer-Encoding: base64'],
    base64Lines(Buffer.from(text, 'utf8')),
  );
}

function attachmentPart(att: OutlookAttachment, origin: RebuiltOrigin): Buffer {
  if (att.embedded) {
    const inner = rebuildMessage(att.embedded, origin);
    return Buffer.concat([
      Buffer.from(
        [
          'Content-Type: message/rfc822',
          'Content-Transfer-Encoding: 8bit',
          `Content-Disposition: attachment;${fileNameParam('filename', att.fileName)}`,
        ].join(CRLF) +
          CRLF +
          CRLF,
        'utf8',
      ),
      inner,
    ]);
  }
  const fields = [
    `Content-Type: ${safeMimeType(att.mimeType)};${fileNameParam('name', att.fileName)}`,
    `Content-Disposition: ${att.contentId ? 'inline' : 'attachment'};${fileNameParam('filename', att.fileName)}`,
    'Content-Transfer-Encoding: base64',
  ];
  if (att.contentId) fields.push(`Content-ID: <${att.contentId.replace(/^<|>$/g, '')}>`);
  return entity(fields, base64Lines(Buffer.from(att.data ?? new Uint8Array())));
}

function entity(fields: string[], body: string): Buffer {
  return Buffer.from(fields.join(CRLF) + CRLF + CRLF + body, 'utf8');
}

/** A multipart entity whose boundary derives from its content, so output is deterministic. */
function multipart(subtype: 'mixed' | 'alternative', parts: Buffer[]): Buffer {
  const digest = createHash('sha256');
  for (const p of parts) digest.update(p);
  let boundary = `=_tamis_${digest.digest('hex').slice(0, 32)}`;
  while (parts.some((p) => p.includes(boundary))) boundary += '_';
  const chunks: Buffer[] = [
    Buffer.from(`Content-Type: multipart/${subtype}; boundary="${boundary}"${CRLF}${CRLF}`),
  ];
  for (const p of parts) {
    chunks.push(Buffer.from(`--${boundary}${CRLF}`), p, Buffer.from(CRLF));
  }
  chunks.push(Buffer.from(`--${boundary}--${CRLF}`));
  return Buffer.concat(chunks);
}

function base64Lines(data: Buffer): string {
  const b64 = data.toString('base64');
  let out = '';
  for (let i = 0; i < b64.length; i += 76) out += b64.slice(i, i + 76) + CRLF;
  return out;
}

function safeMimeType(type: string | undefined): string {
  const t = type?.trim().toLowerCase();
  return t && /^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/.test(t) ? t : 'application/octet-stream';
}

/** A file name parameter: quoted when ASCII, RFC 2231 percent-encoded UTF-8 otherwise. */
function fileNameParam(param: string, name: string): string {
  const clean = name.replace(/[\r\n\0]/g, ' ');
  if (/^[\x20-\x7e]*$/.test(clean)) return ` ${param}="${clean.replace(/["\\]/g, '\\$&')}"`;
  const encoded = encodeURIComponent(clean).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return ` ${param}*=utf-8''${encoded}`;
}

/** RFC 2047 encoded words (UTF-8, base64) when the text is not printable ASCII. */
export function encodeWords(text: string): string {
  const clean = text.replace(/[\r\n]+/g, ' ');
  if (/^[\x20-\x7e]*$/.test(clean) && !clean.includes('=?')) return clean;
  const words: string[] = [];
  let chunk = '';
  for (const ch of clean) {
    // 45 bytes of UTF-8 keep each encoded word under the 75-character limit.
    if (Buffer.byteLength(chunk + ch, 'utf8') > 45) {
      words.push(chunk);
      chunk = '';
    }
    chunk += ch;
  }
  if (chunk) words.push(chunk);
  return words.map((w) => `=?UTF-8?B?${Buffer.from(w, 'utf8').toString('base64')}?=`).join(`${CRLF} `);
}

function formatAddressList(list: MailAddress[]): string {
  return list.map(formatAddress).join(`,${CRLF} `);
}

/**
 * An address as a header value. Exchange-internal X.500 addresses (`/o=…/cn=…`) are not SMTP
 * addresses: they are kept in a comment so the evidence survives without inventing a mailbox.
 */
export function formatAddress(a: MailAddress): string {
  const addr = a.address?.trim() ?? '';
  const smtp = /^[^\s@<>()",;]+@[^\s@<>()",;]+$/.test(addr);
  const name = a.name?.trim() ?? '';
  const phrase = name && name !== addr ? quotePhrase(name) : '';
  if (smtp) return phrase ? `${phrase} <${addr}>` : `<${addr}>`;
  const comment = addr ? ` (${addr.replace(/[()\\]/g, '\\$&')})` : '';
  return `${phrase || quotePhrase(addr || 'unknown')} <>${phrase ? comment : ''}`.trim();
}

function quotePhrase(text: string): string {
  if (!/^[\x20-\x7e]*$/.test(text)) return encodeWords(text);
  if (/^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~ ]*$/.test(text)) return text;
  return `"${text.replace(/["\\]/g, '\\$&')}"`;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** RFC 5322 date in UTC, e.g. `Thu, 26 Nov 2020 22:18:29 +0000`. */
export function rfc5322Date(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return (
    `${DAYS[d.getUTCDay()]}, ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ` +
    `${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`
  );
}
