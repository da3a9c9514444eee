import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { splitMbox, type MboxMessage, type MboxFormat } from '../src/ingest/mbox.js';
import { itCorpus } from './helpers/corpus.js';

const MAIL = '../shared/corpus/documents/tika/mail';
const dir = mkdtempSync(join(tmpdir(), 'tamis-mbox-'));
let n = 0;
const file = (content: string | Buffer): string => {
  const p = join(dir, `box${++n}.mbox`);
  writeFileSync(p, content);
  return p;
};
async function split(path: string, format?: MboxFormat): Promise<MboxMessage[]> {
  const out: MboxMessage[] = [];
  for await (const m of splitMbox(path, format ? { format } : {})) out.push(m);
  return out;
}

describe('splitMbox', () => {
  it('splits an LF mbox; each message stands alone, offsets point at the From_ lines', async () => {
    const m1 = 'From: a@example.org\nSubject: one\n\nfirst body\n';
    const m2 = 'From: b@example.org\nSubject: two\n\nsecond body\n\n'; // ends with its own blank line
    const content = `From a@example.org Mon Jan  2 10:00:00 2017\n${m1}\nFrom b@example.org Mon Jan  2 11:00:00 2017\n${m2}\n`;
    const msgs = await split(file(content));
    expect(msgs.map((m) => m.bytes.toString())).toEqual([m1, m2]);
    expect(msgs.map((m) => m.fromLine)).toEqual(['From a@example.org Mon Jan  2 10:00:00 2017', 'From b@example.org Mon Jan  2 11:00:00 2017']);
    expect(msgs.map((m) => m.index)).toEqual([0, 1]);
    for (const m of msgs) expect(content.slice(m.offset, m.offset + 5)).toBe('From ');
    expect(msgs[1]!.offset).toBe(content.indexOf('From b@'));
  });

  it('keeps CRLF line endings byte for byte', async () => {
    const m1 = 'From: a@example.org\r\nSubject: one\r\n\r\nline 1\r\nline 2\r\n';
    const m2 = 'From: b@example.org\r\nSubject: two\r\n\r\nonly line\r\n';
    const msgs = await split(file(`From a Tue Mar 21 09:00:00 2017\r\n${m1}\r\nFrom b Tue Mar 21 10:00:00 2017\r\n${m2}\r\n`));
    expect(msgs.map((m) => m.bytes.toString())).toEqual([m1, m2]);
    expect(msgs[1]!.fromLine).toBe('From b Tue Mar 21 10:00:00 2017');
  });

  it('does not split on a From line that follows a non-blank line', async () => {
    const body = 'Subject: s\n\nHello\nFrom the desk of Carol, nothing to split here\nbye\n';
    const msgs = await split(file(`From x Mon Jan  2 10:00:00 2017\n${body}`));
    expect(msgs).toHaveLength(1);
    expect(msgs[0]!.bytes.toString()).toBe(body);
  });

  it('removes one > from >From lines (mboxrd), or none (mboxo)', async () => {
    const stored = 'Subject: s\n\n>From here\n>>From there\n> From not escaped\nend\n';
    const p = file(`From x Mon Jan  2 10:00:00 2017\n${stored}`);
    const [rd] = await split(p);
    expect(rd!.bytes.toString()).toBe('Subject: s\n\nFrom here\n>From there\n> From not escaped\nend\n');
    expect(rd!.unescapedLines).toBe(2);
    const [auto] = await split(p, 'auto');
    expect(auto!.bytes.equals(rd!.bytes)).toBe(true);
    const [o] = await split(p, 'mboxo');
    expect(o!.bytes.toString()).toBe(stored);
    expect(o!.unescapedLines).toBe(0);
  });

  it('restores exact bytes across read chunks in a large mbox', async () => {
    const msgs: string[] = [];
    const parts: string[] = [];
    for (let i = 0; i < 300; i++) {
      const body = `Subject: m${i}\r\n\r\n${`line ${i} `.repeat(2000)}\r\n${i % 7 === 0 ? 'From inside, not a split\r\n' : ''}`;
      msgs.push(body);
      parts.push(`From s${i}@example.org Mon Jan  2 10:00:00 2017\r\n${body}\r\n`);
    }
    const got = await split(file(parts.join('')));
    expect(got).toHaveLength(300);
    expect(got.every((m, i) => m.bytes.toString() === msgs[i])).toBe(true);
  });

  it('keeps text before the first From_ line as a message rather than dropping it', async () => {
    const msgs = await split(file('stray text\n\nFrom x Mon Jan  2 10:00:00 2017\nSubject: s\n\nb\n'));
    expect(msgs.map((m) => [m.fromLine, m.bytes.toString()])).toEqual([
      ['', 'stray text\n'],
      ['From x Mon Jan  2 10:00:00 2017', 'Subject: s\n\nb\n'],
    ]);
  });

  itCorpus('splits the tika mbox files into the documented number of messages', async () => {
    const expected: Record<string, number> = { 'complex.mbox': 3, 'headers.mbox': 1, 'multiline.mbox': 1, 'simple.mbox': 2, 'testMBOX_complex.mbox': 1, 'quoted.mbox': 1 };
    for (const [name, count] of Object.entries(expected)) {
      const msgs = await split(join(MAIL, name));
      expect(msgs, name).toHaveLength(count);
    }
    const simple = await split(join(MAIL, 'simple.mbox'));
    expect(simple.map((m) => m.fromLine)).toEqual(['From envelope-sender-mailbox-name Mon Jun 01 10:00:00 2009', 'From envelope-sender-mailbox-name Mon Jun 01 11:00:00 2010']);
    expect(simple.map((m) => m.bytes.toString())).toEqual(['\nTest content 1\n', '\nTest content 2']);
    const complex = await split(join(MAIL, 'complex.mbox'));
    expect(complex[0]!.bytes.toString()).toMatch(/^Return-Path: /);
    expect(complex.some((m) => m.bytes.includes('Subject: Re: question about when shuffle/sort start working'))).toBe(true);
    // whole-file accounting: From_ lines + messages + separators = file
    const raw = readFileSync(join(MAIL, 'complex.mbox'));
    const accounted = complex.reduce((s, m) => s + m.fromLine.length + 1 + m.bytes.length + m.unescapedLines, 0);
    expect(raw.length - accounted).toBeLessThanOrEqual(complex.length);
  });
});
