import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { emailFactsFromRaw } from '../src/checks/corpus.js';
import { parseMailDate } from '../src/checks/email/dates.js';
import { mailFacts } from './fixtures/forgery-lab.js';
import { itCorpus } from './helpers/corpus.js';

describe('emailFactsFromRaw', () => {
  itCorpus('reads headers in order, From, Message-ID and Date of a real iCloud message', async () => {
    const raw = readFileSync('../shared/corpus/dkim/messages/zk-email/email-good.eml');
    const f = await emailFactsFromRaw(5, raw, { occurrencePaths: ['x/Inbox/1.eml'] });
    expect(f.itemId).toBe(5);
    expect(f.raw.equals(raw)).toBe(true);
    expect(f.headers.length).toBeGreaterThan(5);
    expect(f.headers.filter((h) => h.name.toLowerCase() === 'dkim-signature').length).toBeGreaterThan(0);
    expect(f.from?.domain).toBe(f.from?.address.split('@')[1]);
    expect(f.date).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(f.messageId).toBeDefined();
    expect(f.messageId).not.toMatch(/[<>]/);
    expect(f.signed).toEqual([]);
    expect(f.occurrencePaths).toEqual(['x/Inbox/1.eml']);
  });

  it('unfolds, decodes RFC 2047 for display and parses References', async () => {
    const f = await mailFacts(1, [
      'From: =?utf-8?Q?Ren=C3=A9e_Dupr=C3=A9?= <Renee@Example.ORG>',
      'Subject: =?utf-8?B?w4l0w6kgMjAyMA==?=',
      'Received: from a.example by b.example;',
      '\tTue, 3 Mar 2020 10:15:00 +0100',
      'Date: Tue, 3 Mar 2020 10:14:00 +0100 (CET)',
      'Message-ID: <abc@example.org>',
      'In-Reply-To: <p1@example.org>',
      'References: <p0@example.org>\r\n <p1@example.org>',
    ], 'Hello');
    expect(f.from).toEqual({ address: 'renee@example.org', domain: 'example.org', name: 'Renée Dupré' });
    expect(f.headers.find((h) => h.name === 'Subject')?.value).toBe('Été 2020');
    expect(f.headers.find((h) => h.name === 'Received')?.value).toMatch(/b\.example;\s+Tue, 3 Mar 2020/);
    expect(f.date).toBe('2020-03-03T09:14:00.000Z');
    expect(f.messageId).toBe('abc@example.org');
    expect(f.inReplyTo).toBe('p1@example.org');
    expect(f.references).toEqual(['p0@example.org', 'p1@example.org']);
    expect(f.text?.trim()).toBe('Hello');
  });

  it('never throws on garbage', async () => {
    const f = await emailFactsFromRaw(9, Buffer.from([0, 1, 2, 255, 10, 10]), {});
    expect(f.itemId).toBe(9);
    expect(f.references).toEqual([]);
  });
});

describe('parseMailDate', () => {
  const utc = (s: string): string | undefined => {
    const t = parseMailDate(s);
    return t === undefined ? undefined : new Date(t).toISOString();
  };
  it.each([
    ['Tue, 1 Jul 2003 10:52:37 +0200', '2003-07-01T08:52:37.000Z'],
    ['1 Jul 2003 10:52:37 +0200 (CEST)', '2003-07-01T08:52:37.000Z'],
    ['Tue,  1 Jul 2003 10:52 EST', '2003-07-01T15:52:00.000Z'],
    ['Tue, 1 Jul 03 10:52:37 GMT', '2003-07-01T10:52:37.000Z'],
    ['Wed, 04 Mar 2020 01:02:03 -0000', '2020-03-04T01:02:03.000Z'],
    ['Wed, 4 Mar 2020 01:02:03 CEST', '2020-03-03T23:02:03.000Z'],
    ['2020-03-04T01:02:03+01:00', '2020-03-04T00:02:03.000Z'],
  ])('%s', (input, iso) => expect(utc(input)).toBe(iso));
  it.each(['', 'yesterday', 'Wed, 4 Mar 2020 01:02:03 XYZT', 'Wed, 4 Foo 2020 01:02:03 +0000', 'Wed, 4 Mar 2020 01:02:03 +9900'])(
    'unparseable: %s', (input) => expect(parseMailDate(input)).toBeUndefined());
});
