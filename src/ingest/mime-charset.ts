// Body text in charsets TextDecoder cannot read. postal-mime decodes text with TextDecoder (every
// WHATWG label, plus its own aliases), and reads anything else as windows-1252: mojibake that no
// comparison survives. Mail clients also write charsets outside the WHATWG list (UTF-7 from old
// Outlook, DOS code pages cp437/cp850/cp852 from old gateways, Mac Central European, VISCII…), which
// iconv-lite decodes. For those parts only, a copy of the message is handed to postal-mime with the
// part's text already in UTF-8; attachments and embedded messages are never touched, and the stored
// bytes (and DKIM) are the original ones.
import iconv from 'iconv-lite';
import PostalMime, { type Email, type PostalMimeOptions } from 'postal-mime';
import { mimeStructure, type RawLeaf } from './mime-ranges.js';

const readable = new Map<string, boolean>();

function textDecoderAccepts(label: string): boolean {
  try {
    new TextDecoder(label);
    return true;
  } catch {
    return false;
  }
}

/**
 * Node 20's TextDecoder (and some later releases) decodes windows-1252, which WHATWG also uses for
 * latin1, iso-8859-1 and us-ascii labels, as ISO-8859-1: bytes 0x80-0x9F (€ ‚ „ … ’ “ ” – — œ)
 * become C1 control characters. Probed once; when broken, those labels go to iconv-lite too.
 */
const windows1252Broken = new TextDecoder('windows-1252').decode(Uint8Array.of(0x80, 0x92)) !== '€’';

function textDecoderReads(label: string): boolean {
  try {
    const d = new TextDecoder(label);
    return !(windows1252Broken && d.encoding === 'windows-1252');
  } catch {
    return false;
  }
}

/** postal-mime reads the label right (TextDecoder directly, or after stripping an x-/cs- prefix and separators, or a code page it maps). */
export function postalMimeReads(label: string): boolean {
  const l = label.trim().toLowerCase();
  let ok = readable.get(l);
  if (ok === undefined) {
    const stripped = l.replace(/^(?:x-ms-|x-|cs)/, '');
    const candidates = [l, stripped, stripped.replace(/[\s._-]+/g, '')];
    ok = candidates.some(textDecoderReads) ||
      (!candidates.some(textDecoderAccepts) && /^(?:iso-?2022-?jp|(?:cp|windows|ms|ibm)-?(?:932|936|949|950|874|51932|5022[012]))/.test(l));
    readable.set(l, ok);
  }
  return ok;
}

/** The iconv-lite name to decode a label with: WHATWG's windows-1252 for every label it folds into it. */
function iconvName(label: string): string {
  const l = label.trim();
  try {
    if (new TextDecoder(l.toLowerCase()).encoding === 'windows-1252') return 'windows-1252';
  } catch {
    // not a WHATWG label: iconv-lite's own name
  }
  return l;
}

/** Text leaves (not files) whose charset postal-mime would misread and iconv-lite reads. */
export function legacyTextLeaves(leaves: readonly RawLeaf[]): RawLeaf[] {
  return leaves.filter((l) => l.mediaType.startsWith('text/') && !l.isFile && l.charset !== undefined && !postalMimeReads(l.charset) && iconv.encodingExists(iconvName(l.charset)));
}

/** Quoted-printable (RFC 2045 6.7): soft line breaks removed, =XX decoded, anything malformed kept as written. */
function decodeQuotedPrintable(s: string): Buffer {
  const joined = s.replace(/=[ \t]*\r?\n/g, '');
  return Buffer.from(joined.replace(/=([0-9A-Fa-f]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1');
}

function transferDecode(body: string, encoding: string): Buffer {
  if (encoding === 'base64') return Buffer.from(body.replace(/[^A-Za-z0-9+/]/g, ''), 'base64'); // tolerates missing padding
  if (encoding === 'quoted-printable') return decodeQuotedPrintable(body);
  return Buffer.from(body, 'latin1');
}

/** The part's body text, decoded from its transfer encoding and charset. */
export function decodeLeafText(raw: Buffer, leaf: RawLeaf): string {
  return iconv.decode(transferDecode(raw.toString('latin1', leaf.bodyStart, leaf.bodyEnd), leaf.encoding), iconvName(leaf.charset!));
}

/**
 * A copy of `raw` in which each given leaf says `charset=utf-8`, `Content-Transfer-Encoding: base64`
 * and holds its text in UTF-8, for postal-mime to parse. Leaves must not overlap (they never do).
 */
export function withUtf8Text(raw: Buffer, leaves: readonly RawLeaf[]): Buffer {
  const out: Buffer[] = [];
  let pos = 0;
  for (const leaf of [...leaves].sort((a, b) => a.headerStart - b.headerStart)) {
    const head = raw.toString('latin1', leaf.headerStart, leaf.bodyStart);
    const eol = head.includes('\r\n') ? '\r\n' : '\n';
    const blank = /\r?\n\r?\n$/.exec(head)?.[0] ?? '';
    let fields = head.slice(0, head.length - blank.length);
    fields = fields.replace(/^(content-type:[^\r\n]*(?:\r?\n[ \t][^\r\n]*)*)/im, (ct) => ct.replace(/(charset\s*=\s*)("[^"]*"|[^;\s]+)/i, '$1utf-8'));
    if (/^content-transfer-encoding:/im.test(fields)) fields = fields.replace(/^content-transfer-encoding:[^\r\n]*(?:\r?\n[ \t][^\r\n]*)*/im, 'Content-Transfer-Encoding: base64');
    else fields = `${fields}${eol}Content-Transfer-Encoding: base64`;
    const text = Buffer.from(decodeLeafText(raw, leaf), 'utf8').toString('base64').replace(/.{1,76}/g, (l) => `${l}${eol}`);
    out.push(raw.subarray(pos, leaf.headerStart), Buffer.from(`${fields}${blank || `${eol}${eol}`}${text}`, 'latin1'));
    pos = leaf.bodyEnd;
  }
  out.push(raw.subarray(pos));
  return Buffer.concat(out);
}

/** PostalMime.parse, with text parts in charsets only iconv-lite reads decoded first. */
export async function parseWithCharsets(raw: Buffer, opts: PostalMimeOptions = {}): Promise<Email> {
  const legacy = legacyTextLeaves(mimeStructure(raw).leaves);
  return PostalMime.parse(legacy.length ? withUtf8Text(raw, legacy) : raw, opts);
}
