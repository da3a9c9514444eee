import { promises as fsp } from 'node:fs';
import { Readable } from 'node:stream';
import { PSTFile, type PSTAttachment, type PSTFolder, type PSTMessage } from 'pst-extractor';
import type { IngestLimits } from '../limits.js';
import { rebuildMessage } from './rebuild.js';
import type { ContainerEvent, MailAddress, OutlookAttachment, OutlookMessage } from './types.js';

const PST_MAGIC = Buffer.from('!BDN', 'latin1');
const ATTACH_BY_VALUE = 1;
const ATTACH_EMBEDDED_MSG = 5;
/** Embedded messages nest; a hostile PST could make them loop. */
const MAX_EMBED_DEPTH = 16;

/**
 * Reads every item of every folder of a PST/OST (Deleted Items and search folders included,
 * depth-first in the file's own order) and yields each one rebuilt as RFC 822 bytes, named
 * `<folder path>/NNNNN.eml` (NNNNN = position in the folder, from 00001). A folder or item the
 * library cannot read becomes a 'corrupt' problem and the walk goes on.
 */
export async function* readPst(filePath: string, limits: IngestLimits): AsyncIterable<ContainerEvent> {
  const head = await readHead(filePath, 4);
  if (!head.equals(PST_MAGIC)) {
    yield { type: 'problem', reason: `${filePath} does not start with the PST signature "!BDN"`, code: 'corrupt' };
    return;
  }
  let pst: PSTFile;
  try {
    pst = new PSTFile(filePath);
  } catch (err) {
    yield { type: 'problem', reason: `${filePath}: PST header not readable (${(err as Error).message})`, code: 'corrupt' };
    return;
  }
  const budget = { entries: 0, bytes: 0 };
  try {
    let root: PSTFolder;
    try {
      root = pst.getRootFolder();
    } catch (err) {
      yield { type: 'problem', reason: `${filePath}: PST folder tree not readable (${(err as Error).message})`, code: 'corrupt' };
      return;
    }
    for (const ev of walkFolder(root, '', limits, budget, new Set())) {
      yield ev;
      if (ev.type === 'problem' && ev.code.startsWith('limit-')) return;
    }
  } finally {
    pst.close();
  }
}

async function readHead(filePath: string, n: number): Promise<Buffer> {
  const fh = await fsp.open(filePath, 'r');
  try {
    const buf = Buffer.alloc(n);
    const { bytesRead } = await fh.read(buf, 0, n, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

function* walkFolder(
  folder: PSTFolder,
  path: string,
  limits: IngestLimits,
  budget: { entries: number; bytes: number },
  usedPaths: Set<string>,
): Generator<ContainerEvent> {
  const where = path || '(root folder)';
  let count = 0;
  try {
    count = folder.contentCount;
  } catch (err) {
    yield { type: 'problem', name: path || undefined, reason: `folder ${where}: item table not readable (${(err as Error).message})`, code: 'corrupt' };
  }
  for (let i = 1; i <= count; i++) {
    const name = `${path ? `${path}/` : ''}${String(i).padStart(5, '0')}.eml`;
    let bytes: Buffer;
    try {
      const item = folder.getNextChild() as PSTMessage | null;
      if (!item) break;
      bytes = rebuildMessage(toMessage(item, limits, 0), 'outlook-pst');
    } catch (err) {
      yield { type: 'problem', name, reason: `item ${i} of folder ${where} not readable (${(err as Error).message})`, code: 'corrupt' };
      continue;
    }
    if (budget.entries + 1 > limits.maxEntries) {
      yield { type: 'problem', name, reason: `more than ${limits.maxEntries} items in the PST; the rest is not read`, code: 'limit-entries' };
      return;
    }
    if (budget.bytes + bytes.length > limits.maxExpandedBytes) {
      yield { type: 'problem', name, reason: `rebuilt messages exceed ${limits.maxExpandedBytes} bytes; the rest is not read`, code: 'limit-bytes' };
      return;
    }
    budget.entries++;
    budget.bytes += bytes.length;
    yield { type: 'entry', name, size: bytes.length, stream: Readable.from([bytes]), rebuilt: true };
  }
  let subfolders: PSTFolder[] = [];
  try {
    subfolders = folder.hasSubfolders ? folder.getSubFolders() : [];
  } catch (err) {
    // Search folders often point at descriptors that are not in the file; their items live elsewhere.
    yield { type: 'problem', name: path || undefined, reason: `subfolders of ${where} not readable (${(err as Error).message})`, code: 'corrupt' };
  }
  for (const sub of subfolders) {
    const subPath = uniquePath(`${path ? `${path}/` : ''}${safeSegment(sub.displayName)}`, usedPaths);
    for (const ev of walkFolder(sub, subPath, limits, budget, usedPaths)) {
      yield ev;
      if (ev.type === 'problem' && ev.code.startsWith('limit-')) return;
    }
  }
}

/** A folder name usable as one path segment: no separators, never `.` or `..`. */
function safeSegment(name: string): string {
  const s = name.replace(/[/\\\0]/g, '_').trim();
  return s === '' || s === '.' || s === '..' ? `_${s}` : s;
}

/** Two sibling folders may share a name; their items must not share entry names. */
function uniquePath(p: string, used: Set<string>): string {
  let candidate = p;
  for (let n = 2; used.has(candidate); n++) candidate = `${p} (${n})`;
  used.add(candidate);
  return candidate;
}

const RECIPIENT_CC = 2;
const RECIPIENT_BCC = 3;

function toMessage(m: PSTMessage, limits: IngestLimits, depth: number): OutlookMessage {
  const to: MailAddress[] = [];
  const cc: MailAddress[] = [];
  const bcc: MailAddress[] = [];
  for (let i = 0; i < m.numberOfRecipients; i++) {
    const r = m.getRecipient(i);
    if (!r) continue;
    const addr = { name: r.displayName, address: r.smtpAddress || r.emailAddress };
    (r.recipientType === RECIPIENT_CC ? cc : r.recipientType === RECIPIENT_BCC ? bcc : to).push(addr);
  }
  const rtf = m.bodyRTF;
  return {
    messageClass: m.messageClass || undefined,
    transportHeaders: m.transportMessageHeaders || undefined,
    subject: m.subject,
    from:
      m.senderName || m.senderEmailAddress
        ? { name: m.senderName, address: m.senderEmailAddress }
        : undefined,
    to,
    cc,
    bcc,
    date: m.clientSubmitTime ?? m.messageDeliveryTime ?? undefined,
    messageId: m.internetMessageId || undefined,
    text: m.body || undefined,
    html: m.bodyHTML || undefined,
    rtf: rtf ? Buffer.from(rtf, /^[\0-\xff]*$/.test(rtf) ? 'latin1' : 'utf8') : undefined,
    attachments: attachmentsOf(m, limits, depth),
  };
}

function attachmentsOf(m: PSTMessage, limits: IngestLimits, depth: number): OutlookAttachment[] {
  const out: OutlookAttachment[] = [];
  for (let i = 0; i < m.numberOfAttachments; i++) {
    const a = m.getAttachment(i);
    const fileName = a.longFilename || a.filename || a.displayName || `attachment-${i + 1}`;
    if (a.attachMethod === ATTACH_EMBEDDED_MSG) {
      if (depth >= MAX_EMBED_DEPTH) throw new Error(`embedded messages nested deeper than ${MAX_EMBED_DEPTH}`);
      const inner = embeddedMessage(a, m);
      if (inner) {
        const msg = toMessage(inner, limits, depth + 1);
        out.push({ fileName: `${a.displayName || msg.subject || `message-${i + 1}`}.eml`, embedded: msg });
      }
      continue;
    }
    const stream = a.fileInputStream;
    if (!stream) {
      if (a.attachMethod !== ATTACH_BY_VALUE) continue; // links and OLE objects carry no file data
      out.push({ fileName, mimeType: a.mimeTag || undefined, contentId: a.contentId || undefined, data: new Uint8Array() });
      continue;
    }
    const size = stream.length.toNumber();
    if (size > limits.maxExpandedBytes) throw new Error(`attachment ${fileName} is ${size} bytes, over the limit`);
    const data = Buffer.alloc(size);
    stream.readCompletely(data);
    out.push({ fileName, mimeType: a.mimeTag || undefined, contentId: a.contentId || undefined, data });
  }
  return out;
}

/**
 * pst-extractor builds an attachment without a descriptor node, and its `embeddedPSTMessage`
 * then returns nothing; give it the parent message's node (what java-libpst does), after which
 * its own table and local descriptors take over.
 */
function embeddedMessage(a: PSTAttachment, parent: PSTMessage): PSTMessage | null {
  const holder = a as unknown as { descriptorIndexNode: unknown };
  const parentNode = (parent as unknown as { descriptorIndexNode: unknown }).descriptorIndexNode;
  if (!holder.descriptorIndexNode && parentNode) holder.descriptorIndexNode = parentNode;
  return a.embeddedPSTMessage;
}
