// Thread checks through the real pipeline (ingest → DKIM → corpus checks → verdicts): a fabricated reply
// with no In-Reply-To/References, quoting a DKIM-signed message with one figure changed, is found by
// author and subject even though the pipeline judges threads one at a time.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyseCase } from '../src/analyse/index.js';
import { Ingestor } from '../src/ingest/pipeline.js';
import { Case } from '../src/store/case.js';
import { keys, sign } from './dkim-fixtures.js';
import { write } from './helpers/dump.js';

const ORIGINAL_TEXT = 'Hello Bob,\r\n\r\nThe hall in Lyon is booked for 3 May, 2000 seats, 4500 euros.\r\n\r\nAlice\r\n';

const original = (): Promise<Buffer> =>
  sign(
    'From: Alice <alice@example.org>\r\nTo: bob@example.net\r\nSubject: Lyon hall\r\n' +
      'Date: Tue, 03 Mar 2015 12:00:00 +0000\r\nMessage-ID: <lyon-1@example.org>\r\n' +
      `MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${ORIGINAL_TEXT}`,
  );

function reply(quotedText: string, id: string): Buffer {
  const quote = quotedText.split('\r\n').map((l) => (l ? `> ${l}` : '>')).join('\r\n');
  return Buffer.from(
    'From: Bob <bob@example.net>\r\nTo: alice@example.org\r\nSubject: Re: Lyon hall\r\n' +
      `Date: Wed, 04 Mar 2015 09:00:00 +0000\r\nMessage-ID: <${id}@example.net>\r\n` +
      'MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n' +
      `Fine by me.\r\n\r\nOn 3 Mar 2015, at 12:00, Alice <alice@example.org> wrote:\r\n${quote}\r\n`,
  );
}

async function analysed(files: Record<string, Buffer>): Promise<{ kase: Case; byPath: (p: string) => number }> {
  const root = mkdtempSync(join(tmpdir(), 'tamis-threads-'));
  for (const [rel, bytes] of Object.entries(files)) write(join(root, 'dump'), rel, bytes);
  const kase = await Case.open(join(root, 'case'));
  kase.addKey({ domain: 'example.org', selector: keys.rsa2048.selector, value: keys.rsa2048.record, source: 'test' });
  await new Ingestor(kase).ingest([join(root, 'dump')]);
  await analyseCase(kase);
  const byPath = (p: string): number => kase.allOccurrences().find((o) => o.path.endsWith(p))!.itemId;
  return { kase, byPath };
}

describe('thread.quote in the pipeline, replies without In-Reply-To', () => {
  it('flags the reply whose quote changes a figure of the verified original', async () => {
    const { kase, byPath } = await analysed({
      'alice/sent/1.eml': await original(),
      'bob/inbox/2.eml': reply(ORIGINAL_TEXT.replace('4500', '9500'), 'forged-2'),
    });
    expect(kase.item(byPath('1.eml'))?.verdict).toBe('verified');
    const forged = kase.item(byPath('2.eml'))!;
    expect(forged.verdict).toBe('suspicious');
    const f = kase.findingsOf(forged.id).find((x) => x.check === 'thread.quote');
    expect(f?.message).toMatch(/differs from that message, which is DKIM-verified: the quote was altered/);
    kase.close();
  });

  it('leaves a verbatim quote alone, and the verified original corroborated by nothing it should not be', async () => {
    const { kase, byPath } = await analysed({
      'alice/sent/1.eml': await original(),
      'bob/inbox/2.eml': reply(ORIGINAL_TEXT, 'real-2'),
    });
    const r = kase.item(byPath('2.eml'))!;
    expect(r.verdict).toBe('consistent');
    expect(kase.findingsOf(r.id).filter((x) => x.check === 'thread.quote')).toEqual([]);
    kase.close();
  });
});
