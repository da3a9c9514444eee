import { promises as fsp } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../src/ingest/limits.js';
import { readTnef } from '../src/ingest/outlook/tnef.js';
import type { ContainerEvent } from '../src/ingest/outlook/types.js';
import { itCorpus } from './helpers/corpus.js';

async function collect(events: AsyncIterable<ContainerEvent>) {
  const entries: { name: string; bytes: Buffer }[] = [];
  const problems: Extract<ContainerEvent, { type: 'problem' }>[] = [];
  for await (const ev of events) {
    if (ev.type === 'entry') {
      const chunks: Buffer[] = [];
      for await (const c of ev.stream) chunks.push(c as Buffer);
      entries.push({ name: ev.name, bytes: Buffer.concat(chunks) });
    } else problems.push(ev);
  }
  return { entries, problems };
}

/** One TNEF attribute as MS-OXTNEF lays it out: level, id, length, data, 16-bit checksum. */
function attr(level: number, id: number, data: Buffer): Buffer {
  const head = Buffer.alloc(9);
  head.writeUInt8(level, 0);
  head.writeUInt32LE(id, 1);
  head.writeUInt32LE(data.length, 5);
  const sum = Buffer.alloc(2);
  sum.writeUInt16LE(data.reduce((a, b) => (a + b) & 0xffff, 0));
  return Buffer.concat([head, data, sum]);
}

/** A MAPI property list with one PT_UNICODE value (PR_ATTACH_LONG_FILENAME). */
function longFileNameProps(name: string): Buffer {
  const value = Buffer.from(`${name}\0`, 'utf16le');
  const padded = Buffer.concat([value, Buffer.alloc((4 - (value.length % 4)) % 4)]);
  const head = Buffer.alloc(16);
  head.writeUInt32LE(1, 0); // one property
  head.writeUInt16LE(0x001f, 4); // PT_UNICODE
  head.writeUInt16LE(0x3707, 6); // PR_ATTACH_LONG_FILENAME
  head.writeUInt32LE(1, 8); // one value
  head.writeUInt32LE(value.length, 12);
  return Buffer.concat([head, padded]);
}

const SIGNATURE = Buffer.from([0x78, 0x9f, 0x3e, 0x22, 0x01, 0x00]);
const REND = 0x00069002;
const TITLE = 0x00018010;
const DATA = 0x0006800f;
const ATTACHMENT = 0x00069005;
const PDF = Buffer.from('%PDF-1.4\n% minimal\n%%EOF\n');
const BIN = Buffer.from([0, 1, 2, 250, 251, 252]);

let dir: string;
beforeAll(async () => {
  dir = await fsp.mkdtemp(join(tmpdir(), 'tamis-tnef-test-'));
  const tnef = Buffer.concat([
    SIGNATURE,
    attr(2, REND, Buffer.alloc(14)),
    attr(2, TITLE, Buffer.from('RAPPOR~1.PDF\0', 'latin1')),
    attr(2, DATA, PDF),
    attr(2, ATTACHMENT, longFileNameProps('Rapport été 2017.pdf')),
    attr(2, REND, Buffer.alloc(14)),
    attr(2, TITLE, Buffer.from('data.bin\0', 'latin1')),
    attr(2, DATA, BIN),
  ]);
  await fsp.writeFile(join(dir, 'winmail.dat'), tnef);
  await fsp.writeFile(join(dir, 'cut.dat'), tnef.subarray(0, tnef.length - 20));
  await fsp.writeFile(join(dir, 'other.dat'), 'not TNEF');
});
afterAll(async () => {
  await fsp.rm(dir, { recursive: true, force: true });
});

describe('readTnef', () => {
  it('yields each attachment with its long file name and original bytes', async () => {
    const { entries, problems } = await collect(readTnef(join(dir, 'winmail.dat'), DEFAULT_LIMITS));
    expect(problems).toEqual([]);
    expect(entries.map((e) => e.name)).toEqual(['Rapport été 2017.pdf', 'data.bin']);
    expect(entries[0]!.bytes.equals(PDF)).toBe(true);
    expect(entries[1]!.bytes.equals(BIN)).toBe(true);
  });

  it('keeps what precedes a truncation and reports the damage', async () => {
    const { entries, problems } = await collect(readTnef(join(dir, 'cut.dat'), DEFAULT_LIMITS));
    expect(entries.map((e) => e.name)).toEqual(['Rapport été 2017.pdf']);
    expect(problems.map((p) => p.code)).toEqual(['corrupt']);
  });

  it('reports a file without the TNEF signature as corrupt', async () => {
    const { entries, problems } = await collect(readTnef(join(dir, 'other.dat'), DEFAULT_LIMITS));
    expect(entries).toEqual([]);
    expect(problems.map((p) => p.code)).toEqual(['corrupt']);
  });

  itCorpus('yields the compressed RTF body of ExifTool TNEF.tnef, decompressed', async () => {
    const { entries, problems } = await collect(readTnef('../shared/corpus/documents/exiftool/images/TNEF.tnef', DEFAULT_LIMITS));
    expect(problems).toEqual([]);
    const rtf = entries.find((e) => e.name === 'body.rtf');
    expect(rtf?.bytes.subarray(0, 6).toString('latin1')).toBe('{\\rtf1');
  });
});
