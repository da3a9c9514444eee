import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, statSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { Case } from '../src/store/case.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'tamis-store-'));
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('content-addressed store', () => {
  it('stores bytes once under their SHA-256, read-only, and they re-hash to their name', async () => {
    const kase = await Case.open(tmp());
    const bytes = Buffer.from('From: a@example.org\r\n\r\nhello\r\n');
    const a = await kase.blobs.putStream(Readable.from([bytes.subarray(0, 5), bytes.subarray(5)]));
    const b = await kase.blobs.putBuffer(bytes);
    expect(a.sha256).toBe(sha(bytes));
    expect(b.path).toBe(a.path);
    expect(sha(readFileSync(a.path))).toBe(a.sha256);
    expect(statSync(a.path).mode & 0o222).toBe(0);
    expect(readdirSync(kase.blobs.tmpDir)).toEqual([]);
    kase.close();
  });

  it('leaves no partial blob when the source stream fails', async () => {
    const kase = await Case.open(tmp());
    const failing = new Readable({
      read() {
        this.push(Buffer.from('partial'));
        this.destroy(new Error('disk went away'));
      },
    });
    await expect(kase.blobs.putStream(failing)).rejects.toThrow('disk went away');
    expect(readdirSync(kase.blobs.tmpDir)).toEqual([]);
    expect(readdirSync(kase.blobs.objectsDir)).toEqual([]);
    kase.close();
  });
});

describe('case database', () => {
  it('keeps one item per byte sequence and one occurrence per place', async () => {
    const dir = tmp();
    const kase = await Case.open(dir);
    const first = kase.upsertItem('a'.repeat(64), 3, 'text/plain', 'document');
    const again = kase.upsertItem('a'.repeat(64), 3, 'text/plain', 'document');
    expect(first.created).toBe(true);
    expect(again).toEqual({ id: first.id, created: false });
    expect(kase.addOccurrence(first.id, 'dump/a.txt', null)).toBe(true);
    expect(kase.addOccurrence(first.id, 'dump/a.txt', null)).toBe(false);
    expect(kase.addOccurrence(first.id, 'dump/copy/a.txt', null)).toBe(true);
    expect(kase.occurrencesOf(first.id).map((o) => o.path)).toEqual(['dump/a.txt', 'dump/copy/a.txt']);
    kase.close();
    const reopened = await Case.openExisting(dir);
    expect(reopened.counts()).toMatchObject({ items: 1, occurrences: 2 });
    reopened.close();
  });

  it('finds items by id or unambiguous SHA-256 prefix', async () => {
    const kase = await Case.open(tmp());
    const a = kase.upsertItem('abcdef01'.repeat(8), 1, 'text/plain', 'document');
    kase.upsertItem('abcdef02'.repeat(8), 1, 'text/plain', 'document');
    expect(kase.findItem(String(a.id))?.id).toBe(a.id);
    expect(kase.findItem('abcdef01ab')?.id).toBe(a.id);
    expect(() => kase.findItem('abcdef0')).toThrow(/several items/);
    expect(kase.findItem('ffffff')).toBeUndefined();
    kase.close();
  });

  it('says what to do when there is no case', async () => {
    await expect(Case.openExisting(join(tmp(), 'nope'))).rejects.toThrow(/tamis ingest/);
  });

  it('gives two different inputs with the same name distinct roots', async () => {
    const kase = await Case.open(tmp());
    expect(kase.rootNameFor('/x/inbox', 'inbox')).toBe('inbox');
    expect(kase.rootNameFor('/y/inbox', 'inbox')).toBe('inbox-2');
    expect(kase.rootNameFor('/x/inbox', 'inbox')).toBe('inbox');
    kase.close();
  });
});
