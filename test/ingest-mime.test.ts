import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { extractParts, partName } from '../src/ingest/mime.js';
import { itCorpus } from './helpers/corpus.js';

const MAIL = '../shared/corpus/documents/tika/mail';
const CRLF = '\r\n';
const inner = ['From: Carol <carol@example.org>', 'To: dave@example.org', 'Subject: original', 'DKIM-Signature: v=1; a=rsa-sha256; d=example.org; s=s1; bh=x; b=y', '', 'the signed body', '', 'ends with a blank line', ''].join(CRLF);

function multipart(parts: string[], boundary = 'OUTER', extraHead: string[] = []): Buffer {
  const lines = ['From: Bob <bob@example.org>', 'To: Alice <alice@example.org>, "Eve E." <eve@example.org>', 'Cc: team: x@example.org, y@example.org;', 'Subject: =?utf-8?B?RndkOiDDqXTDqQ==?=', 'Date: Mon, 20 Mar 2017 10:00:00 +0100', 'Message-ID: <m1@example.org>', 'In-Reply-To: <m0@example.org>', 'References: <a@example.org>  <m0@example.org>', ...extraHead, 'MIME-Version: 1.0', `Content-Type: multipart/mixed; boundary="${boundary}"`, ''];
  for (const p of parts) lines.push(`--${boundary}`, p);
  lines.push(`--${boundary}--`, '');
  return Buffer.from(lines.join(CRLF), 'latin1');
}

describe('extractParts', () => {
  it('gives forwarded messages as attachments with their exact bytes, 7bit or base64', async () => {
    const raw = multipart([
      ['Content-Type: text/plain; charset=utf-8', '', 'see below'].join(CRLF),
      ['Content-Type: message/rfc822', 'Content-Disposition: attachment; filename="fwd.eml"', '', inner].join(CRLF),
      ['Content-Type: message/rfc822', 'Content-Transfer-Encoding: base64', '', Buffer.from(inner).toString('base64')].join(CRLF),
    ]);
    const p = await extractParts(raw);
    expect(p.problems).toEqual([]);
    expect(p.text?.trim()).toBe('see below');
    expect(p.attachments).toHaveLength(2);
    for (const a of p.attachments) {
      expect(a.isMessage).toBe(true);
      expect(a.mediaType).toBe('message/rfc822');
      expect(a.bytes.equals(Buffer.from(inner)), a.bytes.toString()).toBe(true);
    }
    expect(p.attachments[0]!.filename).toBe('fwd.eml');
    // the forwarded message's text does not leak into the outer message
    expect(p.text).not.toContain('signed body');
  });

  it('reads addresses, ids, references and decodes headers for display', async () => {
    const p = await extractParts(multipart([['Content-Type: text/plain', '', 'x'].join(CRLF)]));
    expect(p.subject).toBe('Fwd: été');
    expect(p.from).toBe('Bob <bob@example.org>');
    expect(p.to).toEqual(['Alice <alice@example.org>', 'Eve E. <eve@example.org>']);
    expect(p.cc).toEqual(['x@example.org', 'y@example.org']);
    expect(p.messageId).toBe('<m1@example.org>');
    expect(p.inReplyTo).toBe('<m0@example.org>');
    expect(p.references).toEqual(['<a@example.org>', '<m0@example.org>']);
    expect(p.date).toBe('2017-03-20T09:00:00.000Z');
    expect(p.headers.find((h) => h.key === 'subject')?.value).toBe('Fwd: été');
    expect(p.headers.map((h) => h.key).slice(0, 3)).toEqual(['from', 'to', 'cc']);
  });

  it('walks nested multiparts: alternative bodies, related inline image, unnamed attachment', async () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
    const related = ['Content-Type: multipart/related; boundary="REL"', '', '--REL', 'Content-Type: multipart/alternative; boundary="ALT"', '', '--ALT', 'Content-Type: text/plain', '', 'plain', '--ALT', 'Content-Type: text/html', '', '<p>html <img src="cid:img1"></p>', '--ALT--', '--REL', 'Content-Type: image/png', 'Content-ID: <img1>', 'Content-Transfer-Encoding: base64', '', png.toString('base64'), '--REL--'].join(CRLF);
    const unnamed = ['Content-Type: application/octet-stream', 'Content-Transfer-Encoding: base64', '', Buffer.from([1, 2, 3]).toString('base64')].join(CRLF);
    const p = await extractParts(multipart([related, unnamed]));
    expect(p.problems).toEqual([]);
    expect(p.text?.trim()).toBe('plain');
    expect(p.html).toContain('<p>html');
    const img = p.attachments.find((a) => a.mediaType === 'image/png');
    expect(img?.contentId).toBe('<img1>');
    expect(img?.bytes.equals(png)).toBe(true);
    const bin = p.attachments.find((a) => a.mediaType === 'application/octet-stream');
    expect([...bin!.bytes]).toEqual([1, 2, 3]);
    expect(bin!.filename).toBeUndefined();
    const names = p.attachments.map((a, i) => partName(a, i + 1));
    expect(new Set(names).size).toBe(names.length);
    expect(names).toContain(`attachments/${p.attachments.indexOf(bin!) + 1}-part.bin`);
  });

  it('keeps a 7bit text attachment with its CRLF line endings', async () => {
    const csv = 'a;b\r\n1;2\r\n';
    const p = await extractParts(multipart([['Content-Type: text/plain', '', 'body'].join(CRLF), ['Content-Type: text/csv', 'Content-Disposition: attachment; filename="t.csv"', '', csv].join(CRLF)]));
    expect(p.attachments[0]!.bytes.toString()).toBe(csv);
  });

  it('reads what it can of malformed MIME and says what was wrong', async () => {
    const raw = Buffer.from(['From: a@example.org', 'Subject: cut', 'Content-Type: multipart/mixed; boundary="B"', '', '--B', 'Content-Type: text/plain', '', 'readable', '--B', 'Content-Type: application/pdf', 'Content-Disposition: attachment; filename="x.pdf"', 'Content-Transfer-Encoding: base64', '', 'JVBERi0xLjQK***not base64***', ''].join(CRLF));
    const p = await extractParts(raw);
    expect(p.text?.trim()).toBe('readable');
    expect(p.problems.some((x) => /never closed/.test(x))).toBe(true);
    expect(p.problems.some((x) => /part 2: invalid characters in base64/.test(x))).toBe(true);
    expect(p.attachments[0]!.bytes.subarray(0, 8).toString()).toBe('%PDF-1.4');
  });

  it('does not crash on a raw cp1251 subject, and decodes it', async () => {
    const subject = iconv.encode('Привет, отчёт о бюджете кампании', 'win1251');
    const raw = Buffer.concat([Buffer.from('From: a@example.org\r\nSubject: '), subject, Buffer.from('\r\nContent-Type: text/plain\r\n\r\nhi\r\n')]);
    const p = await extractParts(raw);
    expect(p.subject).toBe('Привет, отчёт о бюджете кампании');
  });

  itCorpus('parses every tika message without throwing', async () => {
    const files = readdirSync(MAIL).filter((f) => f.startsWith('testRFC822') || f.endsWith('.eml'));
    let withAttachments = 0;
    for (const f of files) {
      const p = await extractParts(readFileSync(join(MAIL, f)));
      expect(Array.isArray(p.attachments), f).toBe(true);
      if (p.attachments.length > 0) withAttachments++;
    }
    expect(withAttachments).toBeGreaterThan(3);
    const png = await extractParts(readFileSync(join(MAIL, 'testEmailWithPNGAtt.eml')));
    expect(png.attachments.some((a) => a.mediaType === 'image/png')).toBe(true);
  });
});

describe('partName', () => {
  it('is unique by index, keeps the filename, and strips what would make a path unsafe', () => {
    expect(partName({ filename: 'budget.csv', mediaType: 'text/csv', isMessage: false }, 1)).toBe('attachments/1-budget.csv');
    expect(partName({ filename: '../../etc/passwd', mediaType: 'text/plain', isMessage: false }, 2)).toBe('attachments/2-passwd');
    expect(partName({ filename: 'C:\\Users\\x\\evil!.exe', mediaType: 'application/x-msdownload', isMessage: false }, 3)).toBe('attachments/3-evil_.exe');
    expect(partName({ filename: '...', mediaType: 'application/pdf', isMessage: false }, 4)).toBe('attachments/4-part.pdf');
    expect(partName({ mediaType: 'message/rfc822', isMessage: true }, 5)).toBe('attachments/5-part.eml');
    expect(partName({ mediaType: 'application/x-unknown', isMessage: false }, 6)).toBe('attachments/6-part.bin');
    const long = partName({ filename: `${'a'.repeat(300)}.docx`, mediaType: 'x/y', isMessage: false }, 7);
    expect(long.endsWith('.docx')).toBe(true);
    expect(long.length).toBeLessThan(180);
  });
});
