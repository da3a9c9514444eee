import chardet from 'chardet';
import iconv from 'iconv-lite';
import PostalMime, { decodeWords, type Address, type Email } from 'postal-mime';
import { legacyTextLeaves, withUtf8Text } from './mime-charset.js';
import { mimeStructure, type RawLeaf } from './mime-ranges.js';

export interface MimeHeader {
  /** Lowercase field name. */
  key: string;
  /** Unfolded value, encoded-words and raw 8-bit text decoded for display. */
  value: string;
}

export interface MimeAttachment {
  filename?: string;
  mediaType: string;
  disposition?: string;
  contentId?: string;
  /** Decoded content. For `message/rfc822` and other identity-encoded parts: the exact bytes as they sit in the message. */
  bytes: Buffer;
  /** A `message/rfc822` part: an embedded (forwarded) message, checkable on its own. */
  isMessage: boolean;
}

export interface MimeParts {
  headers: MimeHeader[];
  subject?: string;
  /** Addresses as `Name <address>` (or the bare address). */
  from?: string;
  to: string[];
  cc: string[];
  /** ISO 8601 when the Date header parses, else its raw value. */
  date?: string;
  messageId?: string;
  inReplyTo?: string;
  references: string[];
  text?: string;
  html?: string;
  attachments: MimeAttachment[];
  /** What was malformed; the rest was read. */
  problems: string[];
}

const IDENTITY_ENCODINGS = new Set(['', '7bit', '8bit', 'binary']);
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Parses one message (postal-mime). Never throws for bad input: malformed MIME yields what was
 * readable and a list of problems. Embedded messages come out as attachments with their exact bytes.
 * `onParsed` receives postal-mime's own result, so a caller needing more of it parses only once.
 */
export async function extractParts(raw: Buffer, opts: { onParsed?: (email: Email) => void } = {}): Promise<MimeParts> {
  const structure = mimeStructure(raw);
  const problems = [...structure.problems];
  const headers = displayHeaders(raw.subarray(0, structure.headerEnd));
  let email: Email | undefined;
  try {
    const legacy = legacyTextLeaves(structure.leaves);
    email = await PostalMime.parse(legacy.length ? withUtf8Text(raw, legacy) : raw, { forceRfc822Attachments: true, attachmentEncoding: 'arraybuffer' });
    opts.onParsed?.(email);
  } catch (err) {
    problems.push(`MIME structure unreadable: ${err instanceof Error ? err.message : String(err)}; only the headers were read`);
  }
  const header = (key: string): string | undefined => headers.find((h) => h.key === key)?.value;
  const parts: MimeParts = {
    headers,
    to: addresses(email?.to),
    cc: addresses(email?.cc),
    references: (email?.references ?? header('references') ?? '').split(/\s+/).filter((r) => r.length > 0),
    attachments: email ? attachments(email, raw, structure.leaves) : [],
    problems,
  };
  // postal-mime reads raw 8-bit headers as UTF-8; ours guesses the legacy charset instead.
  const subject = email?.subject !== undefined && !email.subject.includes('\uFFFD') ? email.subject : header('subject');
  const from = email?.from ? addresses([email.from])[0] : header('from');
  const optional: [keyof MimeParts, string | undefined][] = [
    ['subject', subject],
    ['from', from],
    ['date', email?.date ?? header('date')],
    ['messageId', email?.messageId ?? header('message-id')],
    ['inReplyTo', email?.inReplyTo ?? header('in-reply-to')],
    ['text', email?.text],
    ['html', email?.html],
  ];
  for (const [key, value] of optional) if (value !== undefined) Object.assign(parts, { [key]: value });
  return parts;
}

function addresses(list: Address[] | undefined): string[] {
  const out: string[] = [];
  for (const a of list ?? []) {
    const members = a.group ?? [a];
    for (const m of members) {
      if (m.address === undefined) continue;
      out.push(m.name ? `${m.name} <${m.address}>` : m.address);
    }
  }
  return out;
}

function attachments(email: Email, raw: Buffer, leaves: RawLeaf[]): MimeAttachment[] {
  const used = new Set<RawLeaf>();
  return email.attachments.map((a) => {
    let bytes = toBuffer(a.content);
    const exact = exactBytes(a.mimeType, bytes, raw, leaves, used);
    if (exact) bytes = exact;
    const att: MimeAttachment = { mediaType: a.mimeType, bytes, isMessage: a.mimeType === 'message/rfc822' || a.mimeType === 'message/global' };
    if (a.filename) att.filename = a.filename;
    if (a.disposition) att.disposition = a.disposition;
    if (a.contentId) att.contentId = a.contentId;
    return att;
  });
}

function toBuffer(content: ArrayBuffer | Uint8Array | string): Buffer {
  if (typeof content === 'string') return Buffer.from(content, 'utf8');
  return content instanceof Uint8Array ? Buffer.from(content.buffer, content.byteOffset, content.byteLength) : Buffer.from(content);
}

/**
 * postal-mime rewrites identity-encoded bodies line by line (LF endings, an extra final newline).
 * Find the raw leaf with the same type and the same text and take its bytes as they stand.
 */
function exactBytes(mediaType: string, decoded: Buffer, raw: Buffer, leaves: RawLeaf[], used: Set<RawLeaf>): Buffer | undefined {
  const want = comparable(decoded);
  for (const leaf of leaves) {
    if (used.has(leaf) || leaf.mediaType !== mediaType || !IDENTITY_ENCODINGS.has(leaf.encoding)) continue;
    const candidate = raw.subarray(leaf.bodyStart, leaf.bodyEnd);
    if (comparable(candidate) === want) {
      used.add(leaf);
      return Buffer.from(candidate);
    }
  }
  return undefined;
}

function comparable(b: Buffer): string {
  return b.toString('latin1').replace(/\r\n/g, '\n').replace(/\n+$/, '');
}

/** Top-level header fields in order, unfolded and decoded for reading (never for verification). */
function displayHeaders(block: Buffer): MimeHeader[] {
  const fields: { key: string; raw: Buffer; utf8?: string }[] = [];
  for (const field of block.toString('latin1').replace(/\r?\n(?=[ \t])/g, '').split(/\r?\n/)) {
    const i = field.indexOf(':');
    if (i <= 0) continue;
    const raw = Buffer.from(field.slice(i + 1).trim(), 'latin1');
    let text: string | undefined;
    try {
      text = utf8.decode(raw);
    } catch {
      text = undefined; // raw 8-bit text in a legacy charset
    }
    fields.push(text === undefined ? { key: field.slice(0, i).trim().toLowerCase(), raw } : { key: field.slice(0, i).trim().toLowerCase(), raw, utf8: text });
  }
  const legacy = legacyCharset(fields.filter((f) => f.utf8 === undefined).map((f) => f.raw));
  return fields.map(({ key, raw, utf8: text }) => {
    let value = text ?? (legacy ? iconv.decode(raw, legacy) : raw.toString('latin1'));
    try {
      value = decodeWords(value);
    } catch {
      // keep the undecoded value: display only
    }
    return { key, value };
  });
}

/** Guesses the legacy charset (e.g. windows-1251) of header values that are not UTF-8, from those values alone. */
function legacyCharset(values: Buffer[]): string | undefined {
  if (values.length === 0) return undefined;
  const guess = chardet.detect(Buffer.concat(values.flatMap((v) => [v, Buffer.from(' ')])));
  return guess && guess.toLowerCase() !== 'utf-8' && iconv.encodingExists(guess) ? guess : undefined;
}

const EXTENSIONS: Record<string, string> = {
  'message/rfc822': 'eml',
  'message/global': 'eml',
  'text/plain': 'txt',
  'text/html': 'html',
  'text/csv': 'csv',
  'text/calendar': 'ics',
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/gif': 'gif',
  'application/pdf': 'pdf',
  'application/zip': 'zip',
};

/**
 * A path segment for an attachment, unique within its message thanks to the 1-based index:
 * `attachments/<index>-<filename>`. The filename is reduced to a safe base name (no folders,
 * no '!' which separates containers in occurrence paths, no control characters); a part without
 * one gets `part.<ext>` from its media type.
 */
export function partName(att: Pick<MimeAttachment, 'filename' | 'mediaType' | 'isMessage'>, index: number): string {
  const fallback = `part.${EXTENSIONS[att.mediaType] ?? (att.isMessage ? 'eml' : 'bin')}`;
  let name = (att.filename ?? '').split(/[/\\]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex -- control characters are exactly what must go
  name = name.replace(/[\u0000-\u001f\u007f!]/g, '_').replace(/^[\s.]+/, '').trim();
  if (name.length > 150) {
    const dot = name.lastIndexOf('.');
    const ext = dot > 0 && name.length - dot <= 16 ? name.slice(dot) : '';
    name = name.slice(0, 150 - ext.length) + ext;
  }
  return `attachments/${index}-${name || fallback}`;
}
