import { decodeWords } from 'postal-mime';
import { messageBytes } from '../ingest/message-start.js';
import { parseWithCharsets } from '../ingest/mime-charset.js';

/** What the workbench shows and indexes of one email: decoded headers and bodies, attachment names. */
export interface EmailParts {
  /** Header fields in order, values unfolded and RFC 2047 encoded-words decoded. */
  headers: { name: string; value: string }[];
  /** The header block exactly as stored (decoded as latin1 so no byte is lost or altered). */
  rawHeaders: string;
  text: string;
  html: string | null;
  attachments: { filename: string | null; mimeType: string; size: number }[];
}

/** The header block: everything before the first empty line. */
export function rawHeaderBlock(raw: Buffer): string {
  const crlf = raw.indexOf('\r\n\r\n');
  const lf = raw.indexOf('\n\n');
  const cut = [crlf, lf].filter((n) => n >= 0);
  const end = cut.length > 0 ? Math.min(...cut) : raw.length;
  return raw.subarray(0, end).toString('latin1');
}

export async function parseEmailParts(file: Buffer): Promise<EmailParts> {
  const raw = messageBytes(file);
  // Same charset handling as the checks: the text a reader searches and sees is the text compared.
  const mail = await parseWithCharsets(raw, { attachmentEncoding: 'arraybuffer' });
  return {
    headers: mail.headers.map((h) => ({ name: h.originalKey, value: decodeWords(h.value) })),
    rawHeaders: rawHeaderBlock(raw),
    text: mail.text ?? (mail.html ? htmlToText(mail.html) : ''),
    html: mail.html ?? null,
    attachments: mail.attachments.map((a) => ({
      filename: a.filename,
      mimeType: a.mimeType,
      size: typeof a.content === 'string' ? a.content.length : a.content.byteLength,
    })),
  };
}

/** Rough text of an HTML-only body, for search and diff only (never rendered). */
function htmlToText(html: string): string {
  return html
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/[ \t]+/g, ' ')
    .trim();
}
