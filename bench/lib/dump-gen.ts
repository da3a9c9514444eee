// Deterministic synthetic dump for bench:ingest: folders of .eml with attachments, an mbox, a zip and
// a tar.gz. A share of the messages is DKIM-signed by mailauth with the bench keys, so ingest also
// does real verification work; messages carry Received hops, a client's X-Mailer and reply threads,
// so the checks comparing emails do the work they do on delivered mail.
import { closeSync, createWriteStream, mkdirSync, openSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { zipSync, type Zippable } from 'fflate';
import { dkimSign } from 'mailauth/lib/dkim/sign.js';
import tar from 'tar-stream';
import { base64Lines, type BenchKey } from './dkim-corpus.js';
import { Prng, prose, wordLine } from './prng.js';

const FIXED_MTIME = new Date(Date.UTC(2024, 2, 1));
const SIGNED_SHARE = 0.3;

/** A minimal well-formed PDF (one page of text) with a correct xref table. */
export function minimalPdf(lines: string[], title: string): Buffer {
  const text = lines.map((l, i) => `BT /F1 10 Tf 40 ${780 - i * 12} Td (${l.replace(/[()\\]/g, '')}) Tj ET`).join('\n');
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${Buffer.byteLength(text)} >>\nstream\n${text}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
    `<< /Title (${title.replace(/[()\\]/g, '')}) /Producer (tamis bench) /CreationDate (D:20221201000000Z) >>`,
  ];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(out));
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out);
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) out += `${String(o).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Info 6 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

interface Attachment {
  name: string;
  type: string;
  data: Buffer;
}

/** What a reply needs of the message it answers. */
interface Sent {
  messageId: string;
  subject: string;
  from: string;
  date: Date;
  /** References of the reply to it: the thread's ids, oldest first (at most the last 10). */
  thread: string[];
  /** The start of its text, quoted by a reply. */
  opening: string;
}

/** Open threads a message may answer, and how long a thread grows before it ends. */
const OPEN_THREADS = 200;
const MAX_THREAD = 8;
const REPLY_SHARE = 0.4;
/** Clients named in X-Mailer; a sender always uses the same one (undefined: none written). */
const MAILERS = ['Microsoft Outlook 16.0', 'Mozilla Thunderbird', 'Apple Mail (2.3654.120.0.1.13)', undefined];

/** Makes messages and loose documents; one instance per dump section, each with its own seed. */
export class DumpMailer {
  private readonly rng: Prng;
  /** Attachments that recur across mailboxes (the same file forwarded around). */
  private readonly shared: Attachment[] = [];
  private readonly open: { last: Sent; size: number }[] = [];
  private count = 0;

  constructor(
    seed: number,
    private readonly keys: BenchKey[],
  ) {
    this.rng = new Prng(seed);
    const poolRng = new Prng(seed ^ 0x5eed);
    for (let i = 0; i < 40; i++) this.shared.push(this.attachment(poolRng, poolRng.logInt(2_000, 120_000)));
  }

  /** A loose document of about `size` bytes (PDF, CSV or text). */
  document(size: number): Attachment {
    return this.attachment(this.rng, size);
  }

  private attachment(rng: Prng, size: number): Attachment {
    const n = rng.int(1, 1e6);
    const kind = rng.int(0, 3);
    if (kind === 0) {
      const lines = Array.from({ length: Math.max(1, Math.floor(size / 70)) }, () => wordLine(rng, 70));
      return { name: `report-${n}.pdf`, type: 'application/pdf', data: minimalPdf(lines, wordLine(rng, 40)) };
    }
    if (kind === 1) {
      const rows: string[] = ['date,account,amount,memo'];
      for (let total = 0; total < size; total += rows[rows.length - 1]!.length + 2) {
        rows.push(`2024-0${rng.int(1, 9)}-1${rng.int(0, 9)},FR76${rng.int(1e8, 9e8)},${rng.int(1, 99999)}.${rng.int(10, 99)},${wordLine(rng, 30)}`);
      }
      return { name: `ledger-${n}.csv`, type: 'text/csv', data: Buffer.from(rows.join('\r\n') + '\r\n') };
    }
    if (kind === 2) return { name: `notes-${n}.txt`, type: 'text/plain', data: Buffer.from(prose(rng, size)) };
    return { name: `scan-${n}.bin`, type: 'application/octet-stream', data: rng.bytes(size) };
  }

  /**
   * One CRLF message of about `target` bytes, shaped like delivered mail: two Received hops, an
   * X-Mailer fixed per sender, and 40% replies (In-Reply-To, References, "Re:" subject, the start
   * of the answered message quoted under an "On … wrote:" line) in threads of up to 8 messages.
   * ~30% carry a DKIM signature made by mailauth, below the Received hops as a server adds them.
   */
  async message(target: number): Promise<Buffer> {
    const rng = this.rng;
    const index = this.count++;
    const key = rng.pick(this.keys);
    const date = new Date(Date.UTC(2023, 0, 1) + index * 613_000 + rng.int(0, 600_000));
    const staff = rng.int(1, 300);
    const from = `${wordLine(rng, 20)} <staff${staff}@${key.domain}>`;
    const thread = this.open.length > 0 && rng.next() < REPLY_SHARE ? rng.int(0, this.open.length - 1) : undefined;
    const parent = thread === undefined ? undefined : this.open[thread]!.last;
    const subject = parent ? `Re: ${parent.subject}` : wordLine(rng, rng.int(20, 70));
    const messageId = `dump-${index}.${rng.int(1e6, 9e6)}@${key.domain}`;
    const mailer = MAILERS[staff % MAILERS.length];
    const headers = [
      `From: ${from}`,
      `To: ${wordLine(rng, 15)} <team${rng.int(1, 300)}@receiver.example>`,
      `Subject: ${subject}`,
      `Date: ${date.toUTCString().replace('GMT', '+0000')}`,
      `Message-ID: <${messageId}>`,
      ...(parent ? [`In-Reply-To: <${parent.messageId}>`, `References: ${parent.thread.map((id) => `<${id}>`).join(' ')}`] : []),
      ...(mailer ? [`X-Mailer: ${mailer}`] : []),
      'MIME-Version: 1.0',
    ];
    const quote = parent
      ? `\r\nOn ${parent.date.toUTCString()}, ${parent.from} wrote:\r\n` + parent.opening.split('\r\n').map((l) => (l ? `> ${l}` : '>')).join('\r\n') + '\r\n'
      : '';
    let body: string;
    let text: string;
    if (target < 6_000) {
      headers.push('Content-Type: text/plain; charset=utf-8');
      body = text = prose(rng, Math.max(200, target - 500 - quote.length)) + quote;
    } else {
      const boundary = `=_dump_${index}_${rng.int(1e6, 9e6)}`;
      headers.push(`Content-Type: multipart/mixed; boundary="${boundary}"`);
      text = prose(rng, rng.int(300, 3000)) + quote;
      const parts = [`Content-Type: text/plain; charset=utf-8\r\n\r\n${text}`];
      const nAttach = rng.int(1, 3);
      for (let a = 0; a < nAttach; a++) {
        const att = rng.next() < 0.2 ? rng.pick(this.shared) : this.attachment(rng, Math.floor(((target - 3000) * 0.75) / nAttach));
        parts.push(
          `Content-Type: ${att.type}; name="${att.name}"\r\nContent-Transfer-Encoding: base64\r\n` +
            `Content-Disposition: attachment; filename="${att.name}"\r\n\r\n${base64Lines(att.data)}`,
        );
      }
      body = parts.map((p) => `--${boundary}\r\n${p}`).join('') + `--${boundary}--\r\n`;
    }
    this.remember(thread, { messageId, subject: subject.replace(/^Re: /, ''), from, date, thread: [...(parent?.thread ?? []), messageId].slice(-10), opening: text.split('\r\n').slice(0, 4).join('\r\n') });
    const hop = (seconds: number) => new Date(date.getTime() + seconds * 1000).toUTCString().replace('GMT', '+0000');
    const received =
      `Received: from mail.${key.domain} (mail.${key.domain} [192.0.2.${(staff % 250) + 1}])\r\n\tby mx.receiver.example with ESMTPS id ${rng.int(1e8, 9e8).toString(16)};\r\n\t${hop(rng.int(3, 40))}\r\n` +
      `Received: from [10.0.${staff % 250}.${(index % 250) + 1}] by mail.${key.domain} with ESMTPSA;\r\n\t${hop(1)}\r\n`;
    const raw = Buffer.from(headers.join('\r\n') + '\r\n\r\n' + body, 'utf8');
    if (rng.next() >= SIGNED_SHARE) return Buffer.concat([Buffer.from(received), raw]);
    const signer = { signingDomain: key.domain, selector: key.selector, privateKey: key.privateKeyPem };
    const signed = await dkimSign(raw, { ...signer, signatureData: [signer], algorithm: key.algorithm, signTime: date });
    if (!signed.signatures.startsWith('DKIM-Signature:')) throw new Error(`mailauth dkimSign did not sign dump message ${index}`);
    return Buffer.concat([Buffer.from(received), Buffer.from(signed.signatures), raw]);
  }

  /** Keeps a message answerable: it continues its thread, or may open a new one. */
  private remember(thread: number | undefined, sent: Sent): void {
    if (thread !== undefined) {
      const t = this.open[thread]!;
      t.last = sent;
      if (++t.size >= MAX_THREAD) this.open.splice(thread, 1);
      return;
    }
    if (this.rng.next() < 0.5) return;
    this.open.push({ last: sent, size: 1 });
    if (this.open.length > OPEN_THREADS) this.open.shift();
  }

  /** Message size: log-uniform 2-200 KB, so most are small and a few carry big attachments. */
  size(): number {
    return this.rng.logInt(2_000, 200_000);
  }

  /** A size under the attachment threshold of `message`: plain-text mail of 2–6 KB. */
  textOnlySize(): number {
    return this.rng.int(2_000, 5_999);
  }
}

/** Folders user01/inbox/000001.eml ...; returns messages written and bytes. */
export async function writeEmlFolders(dir: string, budget: number, mailer: DumpMailer): Promise<{ messages: number; bytes: number }> {
  let bytes = 0;
  let messages = 0;
  while (bytes < budget) {
    const file = join(dir, `user${String((messages % 12) + 1).padStart(2, '0')}`, messages % 5 === 0 ? 'sent' : 'inbox', `${String(messages).padStart(6, '0')}.eml`);
    mkdirSync(dirname(file), { recursive: true });
    const msg = await mailer.message(mailer.size());
    writeFileSync(file, msg);
    bytes += msg.length;
    messages++;
  }
  return { messages, bytes };
}

/** mboxrd with LF line ends (as most mail clients store it); streamed, so any size fits in memory. */
export async function writeMbox(
  file: string,
  budget: number,
  mailer: DumpMailer,
  size: () => number = () => mailer.size(),
): Promise<{ messages: number; bytes: number }> {
  const fd = openSync(file, 'w');
  let bytes = 0;
  let messages = 0;
  try {
    while (bytes < budget) {
      const msg = (await mailer.message(size())).toString('latin1').replace(/\r\n/g, '\n');
      // mboxrd escaping: one more '>' before every (possibly already quoted) "From " line.
      const escaped = msg.replace(/^(>*From )/gm, '>$1');
      const entry = Buffer.from(`From staff@bench.example Sat Mar  1 00:00:00 2024\n${escaped}${escaped.endsWith('\n') ? '' : '\n'}\n`, 'latin1');
      writeSync(fd, entry);
      bytes += entry.length;
      messages++;
    }
  } finally {
    closeSync(fd);
  }
  return { messages, bytes };
}

/** Members for an archive: messages plus loose documents, about `budget` bytes uncompressed. */
async function archiveMembers(prefix: string, budget: number, mailer: DumpMailer): Promise<{ name: string; data: Buffer }[]> {
  const members: { name: string; data: Buffer }[] = [];
  let bytes = 0;
  for (let i = 0; bytes < budget; i++) {
    const m = i % 4 === 3 ? mailer.document(mailer.size()) : { name: `${String(i).padStart(5, '0')}.eml`, data: await mailer.message(mailer.size()) };
    const name = `${prefix}/${i % 4 === 3 ? 'docs' : 'mail'}/${m.name}`;
    members.push({ name, data: m.data });
    bytes += m.data.length;
  }
  return members;
}

export async function writeZip(file: string, budget: number, mailer: DumpMailer): Promise<{ members: number; bytes: number }> {
  const members = await archiveMembers('export', budget, mailer);
  const tree: Zippable = {};
  for (const m of members) tree[m.name] = [new Uint8Array(m.data.buffer, m.data.byteOffset, m.data.length), { mtime: FIXED_MTIME }];
  const zipped = zipSync(tree, { level: 6, mtime: FIXED_MTIME });
  writeFileSync(file, zipped);
  return { members: members.length, bytes: zipped.length };
}

export async function writeTarGz(file: string, budget: number, mailer: DumpMailer): Promise<{ members: number; bytes: number }> {
  const members = await archiveMembers('backup', budget, mailer);
  const pack = tar.pack();
  const done = pipeline(pack, createGzip({ level: 6 }), createWriteStream(file));
  for (const m of members) {
    await new Promise<void>((resolve, reject) => pack.entry({ name: m.name, size: m.data.length, mtime: FIXED_MTIME, mode: 0o644 }, m.data, (err) => (err ? reject(err) : resolve())));
  }
  pack.finalize();
  await done;
  return { members: members.length, bytes: statSync(file).size };
}
