// Builds small but realistic dumps for ingest tests: real MIME, real archives, written at test time.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { zipSync, strToU8 } from 'fflate';

export const CRLF = '\r\n';

export function email(opts: { from: string; to: string; subject: string; date: string; id: string; body: string; attachment?: { name: string; type: string; bytes: Buffer } ; forwarded?: Buffer }): Buffer {
  const head = [
    `From: ${opts.from}`,
    `To: ${opts.to}`,
    `Subject: ${opts.subject}`,
    `Date: ${opts.date}`,
    `Message-ID: <${opts.id}>`,
    'MIME-Version: 1.0',
  ];
  if (!opts.attachment && !opts.forwarded) {
    return Buffer.from([...head, 'Content-Type: text/plain; charset=utf-8', '', opts.body, ''].join(CRLF));
  }
  const b = `b-${opts.id.replace(/[^a-z0-9]/gi, '')}`;
  const lines = [...head, `Content-Type: multipart/mixed; boundary="${b}"`, '', `--${b}`, 'Content-Type: text/plain; charset=utf-8', '', opts.body];
  if (opts.attachment) {
    lines.push(
      `--${b}`,
      `Content-Type: ${opts.attachment.type}; name="${opts.attachment.name}"`,
      `Content-Disposition: attachment; filename="${opts.attachment.name}"`,
      'Content-Transfer-Encoding: base64',
      '',
      ...(opts.attachment.bytes.toString('base64').match(/.{1,76}/g) ?? []),
    );
  }
  if (opts.forwarded) {
    lines.push(`--${b}`, 'Content-Type: message/rfc822', 'Content-Disposition: attachment; filename="forwarded.eml"', '', opts.forwarded.toString('latin1'));
  }
  lines.push(`--${b}--`, '');
  return Buffer.from(lines.join(CRLF), 'latin1');
}

export function write(root: string, rel: string, bytes: Buffer | string): string {
  const p = join(root, rel);
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, bytes);
  return p;
}

/** A minimal ustar archive, written here so tests control every header byte (e.g. hostile names). */
export function tar(entries: { name: string; bytes: Buffer; type?: '0' | '2'; link?: string }[]): Buffer {
  const blocks: Buffer[] = [];
  for (const e of entries) {
    const h = Buffer.alloc(512);
    h.write(e.name, 0, 100, 'utf8');
    h.write('0000644\0', 100);
    h.write('0000000\0', 108);
    h.write('0000000\0', 116);
    const size = e.type === '2' ? 0 : e.bytes.length;
    h.write(size.toString(8).padStart(11, '0') + '\0', 124);
    h.write('14000000000\0', 136);
    h.write('        ', 148);
    h.write(e.type ?? '0', 156);
    if (e.link) h.write(e.link, 157, 100);
    h.write('ustar\0', 257);
    h.write('00', 263);
    let sum = 0;
    for (const byte of h) sum += byte;
    h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148);
    blocks.push(h);
    if (size > 0) {
      blocks.push(e.bytes, Buffer.alloc((512 - (size % 512)) % 512));
    }
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

export function zip(files: Record<string, Buffer | string>): Buffer {
  const input: Record<string, Uint8Array> = {};
  for (const [k, v] of Object.entries(files)) input[k] = typeof v === 'string' ? strToU8(v) : new Uint8Array(v);
  return Buffer.from(zipSync(input, { level: 6, mtime: new Date('2017-05-01T00:00:00Z') }));
}

export const gzip = (b: Buffer): Buffer => gzipSync(b);

/** A dump exercising every source: folders, eml, mbox, zip, tar.gz with a zip inside, duplicates, hostile bits. */
export function buildDump(root: string): { budget: Buffer; mboxMessages: Buffer[]; nestedEml: Buffer } {
  const budget = Buffer.from('poste;montant\r\nmeetings;12000\r\nflyers;4300\r\n');
  const a = email({ from: 'Alice Martin <alice@campaign.example>', to: 'bob@campaign.example', subject: 'Budget', date: 'Mon, 20 Mar 2017 10:00:00 +0100', id: 'a1@campaign.example', body: 'Voici le budget.', attachment: { name: 'budget.csv', type: 'text/csv', bytes: budget } });
  const b = email({ from: 'Bob Durand <bob@campaign.example>', to: 'carol@campaign.example', subject: 'Fwd: Budget', date: 'Mon, 20 Mar 2017 11:00:00 +0100', id: 'b1@campaign.example', body: 'Pour info.', attachment: { name: 'budget.csv', type: 'text/csv', bytes: budget } });
  write(root, 'inbox/a.eml', a);
  write(root, 'inbox/b.eml', b);
  write(root, 'docs/budget.csv', budget);
  const m1 = email({ from: 'carol@campaign.example', to: 'alice@campaign.example', subject: 'one', date: 'Tue, 21 Mar 2017 09:00:00 +0100', id: 'm1@campaign.example', body: 'first message\r\n>From the desk of Carol\r\nend' });
  const m2 = email({ from: 'dave@campaign.example', to: 'alice@campaign.example', subject: 'two', date: 'Tue, 21 Mar 2017 10:00:00 +0100', id: 'm2@campaign.example', body: 'second message' });
  // mboxrd: a body line "From ..." is stored as ">From ...", and ">From" as ">>From".
  const escape = (m: Buffer) => Buffer.from(m.toString('latin1').replace(/^(>*From )/gm, '>$1'), 'latin1');
  const mbox = Buffer.concat([
    Buffer.from('From carol@campaign.example Tue Mar 21 09:00:00 2017\r\n'),
    escape(m1),
    Buffer.from('\r\nFrom dave@campaign.example Tue Mar 21 10:00:00 2017\r\n'),
    escape(m2),
    Buffer.from('\r\n'),
  ]);
  write(root, 'archive/box.mbox', mbox);
  const nestedEml = email({ from: 'jdoe@campaign.example', to: 'alice@campaign.example', subject: 'nested', date: 'Wed, 22 Mar 2017 09:00:00 +0100', id: 'n1@campaign.example', body: 'deep inside' });
  const mailZip = zip({ 'jdoe/inbox/12.eml': nestedEml, 'jdoe/notes.txt': 'notes' });
  write(root, 'backup.tar.gz', gzip(tar([{ name: 'mail.zip', bytes: mailZip }])));
  write(root, 'archive/hostile.zip', zip({ '../../escaped.txt': 'should never be written outside the case', 'ok.txt': 'fine' }));
  write(root, 'archive/links.tar', tar([{ name: 'passwd-link', bytes: Buffer.alloc(0), type: '2', link: '/etc/passwd' }, { name: 'real.txt', bytes: Buffer.from('real') }]));
  write(root, 'archive/corrupt.zip', Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(200, 7)]));
  // Wrong extension: an email named like a PDF is still an email.
  write(root, 'docs/not-a-pdf.pdf', m2);
  return { budget, mboxMessages: [m1, m2], nestedEml };
}
