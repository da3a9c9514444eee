import { promises as fsp } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sevenZipModule, { type SevenZipModuleFactory } from '7z-wasm';
import tar from 'tar-stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../src/ingest/limits.js';
import { readBzip2 } from '../src/ingest/outlook/bzip2.js';
import type { ContainerEvent } from '../src/ingest/outlook/types.js';
import { readSevenZip } from '../src/ingest/sevenzip.js';
import { itCorpus } from './helpers/corpus.js';

const PKG = '../shared/corpus/documents/tika/pkg';
const SevenZip = ((sevenZipModule as unknown as { default?: SevenZipModuleFactory }).default ??
  sevenZipModule) as unknown as SevenZipModuleFactory;

async function collect(events: AsyncIterable<ContainerEvent>) {
  const entries: { name: string; bytes: Buffer; size?: number }[] = [];
  const problems: Extract<ContainerEvent, { type: 'problem' }>[] = [];
  for await (const ev of events) {
    if (ev.type === 'entry') {
      const chunks: Buffer[] = [];
      for await (const c of ev.stream) chunks.push(c as Buffer);
      entries.push({ name: ev.name, bytes: Buffer.concat(chunks), size: ev.size });
    } else problems.push(ev);
  }
  return { entries, problems };
}

let dir: string;
const FILES: Record<string, Buffer> = {
  'notes/a.txt': Buffer.from('alpha\n'.repeat(1000)),
  'notes/b.eml': Buffer.from('From: a@example.org\r\nSubject: b\r\n\r\nbody\r\n'),
  'c.bin': Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7) & 0xff)),
};

/** Makes a .7z with 7-Zip itself (7z-wasm), from files written to a scratch folder. */
async function make7z(): Promise<void> {
  for (const [name, data] of Object.entries(FILES)) {
    await fsp.mkdir(join(dir, 'src', name, '..'), { recursive: true });
    await fsp.writeFile(join(dir, 'src', name), data);
  }
  const sz = await SevenZip({ print: () => undefined, printErr: () => undefined });
  sz.FS.mkdir('/w');
  sz.FS.mount(sz.NODEFS, { root: dir }, '/w');
  sz.FS.chdir('/w/src');
  sz.callMain(['a', '-t7z', '/w/made.7z', 'notes', 'c.bin']);
}

/** A tar (read through 7-Zip) holding a traversal name and a symlink next to a normal file. */
async function makeHostileTar(): Promise<void> {
  const pack = tar.pack();
  pack.entry({ name: 'ok.txt' }, 'fine\n');
  pack.entry({ name: '../escape.txt' }, 'evil\n');
  pack.entry({ name: 'passwd', type: 'symlink', linkname: '/etc/passwd' });
  pack.entry({ name: 'dup.txt' }, 'first\n');
  pack.entry({ name: 'dup.txt' }, 'second\n');
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const c of pack) chunks.push(c as Buffer);
  await fsp.writeFile(join(dir, 'hostile.tar'), Buffer.concat(chunks));
}

beforeAll(async () => {
  dir = await fsp.mkdtemp(join(tmpdir(), 'tamis-7z-test-'));
  await make7z();
  await makeHostileTar();
});
afterAll(async () => {
  await fsp.rm(dir, { recursive: true, force: true });
});

describe('readSevenZip', () => {
  it('round-trips a 7z made by 7-Zip: names and bytes', async () => {
    const { entries, problems } = await collect(readSevenZip(join(dir, 'made.7z'), DEFAULT_LIMITS));
    expect(problems).toEqual([]);
    const got = Object.fromEntries(entries.map((e) => [e.name, e.bytes.toString('base64')]));
    const want = Object.fromEntries(Object.entries(FILES).map(([n, b]) => [n, b.toString('base64')]));
    expect(got).toEqual(want);
  });

  itCorpus("reads Tika's test-documents.7z (9 documents)", async () => {
    const { entries, problems } = await collect(readSevenZip(`${PKG}/test-documents.7z`, DEFAULT_LIMITS));
    expect(problems).toEqual([]);
    expect(entries).toHaveLength(9);
    for (const e of entries) expect(e.bytes.length).toBe(e.size);
    const pdf = entries.find((e) => e.name === 'test-documents/testPDF.pdf');
    expect(pdf?.bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });

  itCorpus('reports encrypted archives and encrypted entries', async () => {
    const header = await collect(readSevenZip(`${PKG}/full_encrypted.7z`, DEFAULT_LIMITS));
    expect(header.entries).toEqual([]);
    expect(header.problems.map((p) => p.code)).toEqual(['encrypted']);
    const entry = await collect(readSevenZip(`${PKG}/test7Z_protected_passTika.7z`, DEFAULT_LIMITS));
    expect(entry.entries).toEqual([]);
    expect(entry.problems).toMatchObject([{ code: 'encrypted', name: 'text.txt' }]);
  });

  itCorpus('reads RAR (ExifTool ZIP.rar)', async () => {
    const { entries } = await collect(readSevenZip('../shared/corpus/documents/exiftool/images/ZIP.rar', DEFAULT_LIMITS));
    expect(entries.map((e) => e.name)).toEqual(['1.txt']);
  });

  it('flags traversal names, links and duplicate names, and extracts the rest', async () => {
    const { entries, problems } = await collect(readSevenZip(join(dir, 'hostile.tar'), DEFAULT_LIMITS));
    expect(entries.map((e) => [e.name, e.bytes.toString()])).toEqual([
      ['ok.txt', 'fine\n'],
      ['dup.txt', 'first\n'],
    ]);
    expect(problems.map((p) => [p.code, p.name])).toEqual([
      ['zip-slip', '../escape.txt'],
      ['link', 'passwd'],
      ['duplicate-name', 'dup.txt'],
    ]);
  });

  it('enforces entry, byte and ratio limits before extracting', async () => {
    const file = join(dir, 'made.7z');
    const few = await collect(readSevenZip(file, { ...DEFAULT_LIMITS, maxEntries: 2 }));
    expect(few.entries).toHaveLength(2);
    expect(few.problems.map((p) => p.code)).toEqual(['limit-entries']);
    const small = await collect(readSevenZip(file, { ...DEFAULT_LIMITS, maxExpandedBytes: 5000 }));
    expect(small.entries.reduce((n, e) => n + e.bytes.length, 0)).toBeLessThanOrEqual(5000);
    expect(small.problems.map((p) => p.code)).toEqual(['limit-bytes']);
    const ratio = await collect(readSevenZip(file, { ...DEFAULT_LIMITS, maxRatio: 1 }));
    expect(ratio.problems.map((p) => p.code)).toContain('limit-ratio');
  });

  itCorpus('reports a file that is not an archive as corrupt', async () => {
    const { entries, problems } = await collect(readSevenZip('../shared/corpus/documents/exiftool/images/TNEF.tnef', DEFAULT_LIMITS));
    expect(entries).toEqual([]);
    expect(problems.map((p) => p.code)).toEqual(['corrupt']);
  });
});

describe('readBzip2', () => {
  itCorpus("decompresses Tika's test-bz2.txt.bz2 to one entry", async () => {
    const { entries, problems } = await collect(readBzip2(`${PKG}/test-bz2.txt.bz2`, DEFAULT_LIMITS));
    expect(problems).toEqual([]);
    expect(entries.map((e) => e.name)).toEqual(['test-bz2.txt']);
    expect(entries[0]!.bytes.length).toBeGreaterThan(0);
    expect(entries[0]!.bytes.toString('utf8')).not.toContain('\uFFFD');
  });

  itCorpus('cuts at the ratio limit and reports it', async () => {
    const { entries, problems } = await collect(readBzip2(`${PKG}/test-bz2.txt.bz2`, { ...DEFAULT_LIMITS, maxRatio: 0.1 }));
    const size = (await fsp.stat(`${PKG}/test-bz2.txt.bz2`)).size;
    expect(entries[0]!.bytes.length).toBe(Math.floor(size * 0.1));
    expect(problems.map((p) => p.code)).toEqual(['limit-ratio']);
  });

  itCorpus('reports a damaged stream after its readable prefix', async () => {
    const good = await fsp.readFile(`${PKG}/test-bz2.txt.bz2`);
    await fsp.writeFile(join(dir, 'cut.txt.bz2'), good.subarray(0, Math.floor(good.length / 2)));
    const { entries, problems } = await collect(readBzip2(join(dir, 'cut.txt.bz2'), DEFAULT_LIMITS));
    expect(entries).toHaveLength(1);
    expect(problems.map((p) => p.code)).toEqual(['corrupt']);
  });
});
