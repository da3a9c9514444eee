import { promises as fsp } from 'node:fs';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import msgreaderModule, { type FieldsData } from '@kenjiuno/msgreader';
import { decompressRTF } from '@kenjiuno/decompressrtf';
import { ansiCodepage, codepageEncoding, decodeCodepage } from './codepage.js';
import { rebuildMessage } from './rebuild.js';
import type { ContainerEvent, MailAddress, OutlookAttachment, OutlookMessage } from './types.js';

// CommonJS with `exports.default = MsgReader`: Node's ESM interop hands over the exports object
// (class under `.default`), while bundler-style interop (vitest) hands over the class itself.
type MsgReaderClass = (typeof msgreaderModule)['default'];
const MsgReader: MsgReaderClass =
  (msgreaderModule as unknown as { default?: MsgReaderClass }).default ??
  (msgreaderModule as unknown as MsgReaderClass);
type MsgReaderInstance = InstanceType<typeof MsgReader>;

/** A parsed .msg: the message model plus what could not be read inside it. */
export interface ParsedMsg {
  message: OutlookMessage;
  /** Human-readable notes on attachments that could not be read. */
  problems: string[];
  /** The raw msgreader fields (decoded with the message's code page), for diagnostics and tests. */
  fields: FieldsData;
}

/**
 * Parses an Outlook .msg (CFBF) file. 8-bit (PT_STRING8) string properties are decoded with the
 * message's own code page (PR_MESSAGE_CODEPAGE, else PR_INTERNET_CPID): msgreader decodes them
 * as Latin-1 unless told, which garbles CJK and Cyrillic messages. See `ansiCodepage` for the fallbacks.
 */
export function parseMsg(bytes: Uint8Array): ParsedMsg {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let reader: MsgReaderInstance = new MsgReader(view);
  let fields = reader.getFileData();
  if (fields.error) throw new Error(fields.error);
  const enc = codepageEncoding(ansiCodepage(fields));
  if (enc) {
    reader = new MsgReader(view);
    reader.parserConfig = { ansiEncoding: enc };
    fields = reader.getFileData();
    if (fields.error) throw new Error(fields.error);
  }
  const problems: string[] = [];
  const message = toMessage(reader, fields, problems);
  return { message, problems, fields };
}

function toMessage(reader: MsgReaderInstance, f: FieldsData, problems: string[]): OutlookMessage {
  const to: MailAddress[] = [];
  const cc: MailAddress[] = [];
  const bcc: MailAddress[] = [];
  for (const r of f.recipients ?? []) {
    const addr: MailAddress = { name: r.name, address: r.smtpAddress || r.email };
    (r.recipType === 'cc' ? cc : r.recipType === 'bcc' ? bcc : to).push(addr);
  }
  const date = parseDate(f.clientSubmitTime) ?? parseDate(f.messageDeliveryTime);
  const html =
    f.bodyHtml ?? (f.html ? decodeCodepage(f.html, f.internetCodepage ?? f.messageCodepage) : undefined);
  return {
    messageClass: f.messageClass,
    transportHeaders: f.headers || undefined,
    subject: f.subject,
    from:
      f.senderName || f.senderEmail
        ? { name: f.senderName, address: f.senderSmtpAddress || f.senderEmail }
        : undefined,
    to,
    cc,
    bcc,
    date,
    messageId: f.messageId,
    text: f.body,
    html,
    rtf: f.compressedRtf ? rtfBytes(f.compressedRtf, problems) : undefined,
    attachments: (f.attachments ?? []).flatMap((a, i) => {
      const att = toAttachment(reader, a, i, problems);
      return att ? [att] : [];
    }),
  };
}

function toAttachment(
  reader: MsgReaderInstance,
  a: FieldsData,
  index: number,
  problems: string[],
): OutlookAttachment | undefined {
  const fileName = a.fileName || a.fileNameShort || a.name || `attachment-${index + 1}`;
  try {
    if (a.innerMsgContent && a.innerMsgContentFields) {
      const inner = toMessage(reader, a.innerMsgContentFields, problems);
      return { fileName: `${a.name || inner.subject || `message-${index + 1}`}.eml`, embedded: inner };
    }
    if (a.dataId === undefined) {
      problems.push(`attachment ${index + 1} (${fileName}) has no data stream (OLE object or link)`);
      return undefined;
    }
    const data = reader.getAttachment(a).content;
    return { fileName, mimeType: a.attachMimeTag, contentId: a.pidContentId, data };
  } catch (err) {
    problems.push(`attachment ${index + 1} (${fileName}) could not be read: ${(err as Error).message}`);
    return undefined;
  }
}

function rtfBytes(compressed: Uint8Array, problems: string[]): Uint8Array | undefined {
  try {
    return Uint8Array.from(decompressRTF([...compressed]));
  } catch (err) {
    problems.push(`RTF body could not be decompressed: ${(err as Error).message}`);
    return undefined;
  }
}

function parseDate(s: string | undefined): Date | undefined {
  if (!s) return undefined;
  const d = new Date(s);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** Entry name for the rebuilt message: the .msg file's own name with `.eml`. */
function entryName(filePath: string): string {
  const stem = basename(filePath).replace(/\.msg$/i, '').replace(/[/\\]/g, '_');
  return `${stem === '' || stem === '.' || stem === '..' ? 'message' : stem}.eml`;
}

/**
 * Reads one .msg file and yields the message rebuilt as RFC 822 bytes (header
 * `X-Tamis-Rebuilt: outlook-msg`). A file msgreader cannot parse yields a 'corrupt' problem.
 */
export async function* readMsg(filePath: string): AsyncIterable<ContainerEvent> {
  let parsed: ParsedMsg;
  try {
    parsed = parseMsg(await fsp.readFile(filePath));
  } catch (err) {
    yield {
      type: 'problem',
      reason: `${filePath} is not a readable Outlook .msg file (${(err as Error).message}); it is kept as-is`,
      code: 'corrupt',
    };
    return;
  }
  const bytes = rebuildMessage(parsed.message, 'outlook-msg');
  const name = entryName(filePath);
  yield { type: 'entry', name, size: bytes.length, stream: Readable.from([bytes]), rebuilt: true };
  for (const p of parsed.problems) yield { type: 'problem', name, reason: p, code: 'unsupported' };
}
