// A message saved by hand or by an exporter often has something in front of its header: a byte
// order mark, blank lines, an mbox `From ` line; and LF line ends. It is still an email: sniffed as
// one, parsed from its header, and its DKIM signature verifies on the message the signer wrote.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sniffMediaType } from '../src/ingest/sniff.js';
import { messageStart } from '../src/ingest/message-start.js';
import { Case } from '../src/store/case.js';
import { Ingestor } from '../src/ingest/pipeline.js';
import { analyseCase } from '../src/analyse/index.js';
import { BASE, keys, sign } from './dkim-fixtures.js';

const HEADER = 'From: Alice <alice@example.org>\nTo: bob@example.net\nSubject: hi\nDate: Mon, 1 May 2017 10:00:00 +0200\n\nbody\n';
const sniff = async (b: Buffer | string, name = 'unnamed'): Promise<string> => (await sniffMediaType(Buffer.from(b), name)).mediaType;
const BOM = '\ufeff';

describe('message files with something in front of the header', () => {
  it.each([
    ['LF line ends', HEADER],
    ['CRLF line ends', HEADER.replace(/\n/g, '\r\n')],
    ['leading blank lines', `\n\n${HEADER}`],
    ['leading CRLF blank lines and a line of spaces', `\r\n  \r\n${HEADER.replace(/\n/g, '\r\n')}`],
    ['a UTF-8 byte order mark', BOM + HEADER],
    ['a byte order mark, then a blank line', `${BOM}\r\n${HEADER}`],
    ['a header alone, no body, no final line end', 'From: a@example.org\nSubject: x'],
    ['an 8-bit binary body after a plain header', `From: a@example.org\nSubject: x\n\n${'\x01\x02\x03'.repeat(40)}`],
    ['a From header written with a space before the colon', 'From : a@example.org\nSubject : x\n\nbody'],
  ])('is an email: %s', async (_name, bytes) => {
    expect(await sniff(bytes, 'note.txt')).toBe('message/rfc822');
  });

  it('is an mbox when it opens with an envelope line, after blank lines or a BOM too', async () => {
    expect(await sniff(`From alice@example.org Mon May  1 10:00:00 2017\n${HEADER}`)).toBe('application/mbox');
    expect(await sniff(`\n\nFrom - Mon May 01 10:00:00 2017\n${HEADER}`)).toBe('application/mbox');
    expect(await sniff(`${BOM}From alice@example.org\n${HEADER}`)).toBe('application/mbox');
  });

  it('leaves look-alikes alone: a letter, a memo with colons, a table, UTF-16 text', async () => {
    expect(await sniff('From the desk of the treasurer\n\nDear all, the figures follow.\n', 'letter.txt')).toBe('text/plain');
    expect(await sniff('Agenda: budget\nAttendees: Alice, Bob\n\nNotes follow.\n', 'memo.txt')).toBe('text/plain');
    expect(await sniff('\n\nname,amount\nrent,1200\nfood,300\n', 'budget.csv')).toBe('text/csv');
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Compte rendu de la réunion\r\nBudget: 1200 €\r\n', 'utf16le')]);
    expect(await sniff(utf16, 'notes.txt')).toBe('text/plain'); // file-type took it for MPEG audio
  });

  it('finds where the header starts', () => {
    expect(messageStart(Buffer.from(HEADER))).toBe(0);
    expect(messageStart(Buffer.from(`\r\n\r\n${HEADER}`))).toBe(4);
    expect(messageStart(Buffer.from(BOM + HEADER))).toBe(3);
    expect(messageStart(Buffer.from(`From a@x Mon May  1 10:00:00 2017\n${HEADER}`))).toBe(34);
    expect(messageStart(Buffer.from(`From a@x Mon May  1 10:00:00 2017\n${HEADER}`), { envelope: false })).toBe(0);
    expect(messageStart(Buffer.from('From : a@example.org\n\nb'))).toBe(0);
  });
});

describe('a signed message saved with a BOM and blank lines in front', () => {
  it('is ingested as an email that verifies, and its attachment inherits the proof', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tamis-framing-'));
    const withAttachment = BASE.replace(
      'Date:',
      'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b1"\r\nDate:',
    ).replace(
      'Hello Bob,\r\n\r\nthe  figures are attached.   \r\n\r\n\r\n',
      '--b1\r\nContent-Type: text/plain\r\n\r\nHello Bob, the figures are attached.\r\n--b1\r\nContent-Type: text/csv; name="figures.csv"\r\nContent-Disposition: attachment; filename="figures.csv"\r\n\r\nline,amount\r\nrent,1200\r\n--b1--\r\n',
    );
    const signed = await sign(withAttachment);
    mkdirSync(join(dir, 'dump'));
    writeFileSync(join(dir, 'dump', 'framed.eml'), Buffer.concat([Buffer.from(`${BOM}\r\n\r\n`), signed]));
    const kase = await Case.open(join(dir, 'case'));
    try {
      kase.addKey({ domain: 'example.org', selector: 'rsa2048', value: keys.rsa2048.record, source: 'test:rsa2048' });
      await new Ingestor(kase).ingest([join(dir, 'dump')]);
      await analyseCase(kase);
      const items = kase.items();
      const email = items.find((i) => i.kind === 'email');
      expect(email?.mediaType).toBe('message/rfc822');
      expect(email?.metadata['subject']).toBe('Quarterly figures');
      expect(email?.verdict).toBe('verified');
      const csv = items.find((i) => kase.occurrencesOf(i.id).some((o) => o.path.endsWith('figures.csv')));
      expect(csv?.verdict).toBe('verified');
    } finally {
      kase.close();
    }
  });
});
