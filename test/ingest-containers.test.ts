import { describe, expect, it } from 'vitest';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGzip, gzipSync } from 'node:zlib';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { createWriteStream } from 'node:fs';
import { Zip, ZipDeflate, gzipSync as fflateGzip, zipSync, strToU8 } from 'fflate';
import tarStream from 'tar-stream';
import { openContainer, type ContainerEvent } from '../src/ingest/containers/index.js';
import { DEFAULT_LIMITS, type IngestLimits } from '../src/ingest/limits.js';
import { itCorpus } from './helpers/corpus.js';

const TIKA = '../shared/corpus/documents/tika';
const dir = mkdtempSync(join(tmpdir(), 'tamis-containers-'));
let n = 0;
const file = (bytes: Buffer | Uint8Array, name = `f${++n}`): string => {
  const p = join(dir, name);
  writeFileSync(p, bytes);
  return p;
};

type Read = { entries: { name: string; bytes: Buffer; size?: number }[]; problems: Extract<ContainerEvent, { type: 'problem' }>[]; order: string[] };

/** Drains a container the way the pipeline does: each entry fully read before the next event. */
async function readAll(path: string, mediaType: string, limits: IngestLimits = DEFAULT_LIMITS, name?: string): Promise<Read> {
  const out: Read = { entries: [], problems: [], order: [] };
  for await (const ev of openContainer(path, mediaType, limits, name ? { name } : {})) {
    if (ev.type === 'problem') {
      out.problems.push(ev);
      out.order.push(`problem:${ev.code}`);
      continue;
    }
    const chunks: Buffer[] = [];
    try {
      for await (const c of ev.stream) chunks.push(c as Buffer);
    } catch {
      // the problem event that follows says why
    }
    out.entries.push({ name: ev.name, bytes: Buffer.concat(chunks), ...(ev.size !== undefined ? { size: ev.size } : {}) });
    out.order.push(`entry:${ev.name}`);
  }
  return out;
}

async function tarOf(entries: (Partial<tarStream.Header> & { name: string; body?: string | Buffer })[]): Promise<Buffer> {
  const pack = tarStream.pack();
  for (const { body, ...h } of entries) {
    if (body !== undefined) pack.entry(h, body);
    else pack.entry(h);
  }
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const c of pack) chunks.push(Buffer.from(c as Uint8Array));
  return Buffer.concat(chunks);
}

describe('zip', () => {
  it('yields files with their bytes and skips directories', async () => {
    const z = zipSync({ 'a.txt': strToU8('alpha'), 'dir/': new Uint8Array(0), 'dir/b.bin': new Uint8Array([0, 1, 2, 255]) });
    const r = await readAll(file(z), 'application/zip');
    expect(r.problems).toEqual([]);
    expect(r.entries.map((e) => e.name)).toEqual(['a.txt', 'dir/b.bin']);
    expect(r.entries[0]!.bytes.toString()).toBe('alpha');
    expect([...r.entries[1]!.bytes]).toEqual([0, 1, 2, 255]);
    expect(r.entries[1]!.size).toBe(4);
  });

  it('reports traversal and absolute names, and yields the entries under safe names', async () => {
    const z = zipSync({ '../../etc/passwd': strToU8('root:x:0:0'), '/abs/path': strToU8('abs'), 'C:\\Windows\\evil.dll': strToU8('dll'), 'ok!1.txt': strToU8('bang') });
    const r = await readAll(file(z), 'application/zip');
    expect(r.entries.map((e) => e.name)).toEqual(['etc/passwd', 'abs/path', 'Windows/evil.dll', 'ok%211.txt']);
    const slips = r.problems.filter((p) => p.code === 'zip-slip');
    expect(slips.map((p) => p.name)).toEqual(['../../etc/passwd', '/abs/path', 'C:\\Windows\\evil.dll']);
    expect(slips[0]!.reason).toContain("'..'");
    expect(slips[2]!.reason).toContain('drive letter');
    expect(r.entries[0]!.bytes.toString()).toBe('root:x:0:0');
    // the problem comes before the entry it concerns
    expect(r.order.indexOf('problem:zip-slip')).toBeLessThan(r.order.indexOf('entry:etc/passwd'));
  });

  it('keeps two entries that normalise to one name apart', async () => {
    const z = zipSync({ 'a/x.txt': strToU8('one'), '../a/x.txt': strToU8('two') });
    const r = await readAll(file(z), 'application/zip');
    expect(r.entries.map((e) => e.name)).toEqual(['a/x.txt', 'a/x~2.txt']);
    expect(r.problems.map((p) => p.code)).toEqual(['zip-slip', 'duplicate-name']);
  });

  it('refuses a real zip bomb by its ratio without inflating it', async () => {
    // 200 MB of zeros, deflated in a streaming way: the test itself never holds them.
    const parts: Uint8Array[] = [];
    const zip = new Zip((err, data) => {
      if (err) throw err;
      parts.push(data);
    });
    const entry = new ZipDeflate('zeros.bin', { level: 9 });
    zip.add(entry);
    const mb = new Uint8Array(1024 * 1024);
    for (let i = 0; i < 200; i++) entry.push(mb, i === 199);
    zip.end();
    const bomb = Buffer.concat(parts);
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const rssBefore = process.memoryUsage().rss;
    const r = await readAll(file(bomb), 'application/zip');
    const ratio = r.problems.find((p) => p.code === 'limit-ratio');
    expect(ratio?.name).toBe('zeros.bin');
    expect(ratio?.reason).toMatch(/ratio \d+, limit 200/);
    expect(r.entries.map((e) => e.name)).not.toContain('zeros.bin');
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(100 * 1024 * 1024);
  });

  it('stops at the entry-count and expanded-bytes limits', async () => {
    const files: Record<string, Uint8Array> = {};
    for (let i = 1; i <= 5; i++) files[`f${i}.txt`] = strToU8(`file ${i} `.repeat(100));
    const p = file(zipSync(files));
    const few = await readAll(p, 'application/zip', { ...DEFAULT_LIMITS, maxEntries: 3 });
    expect(few.entries).toHaveLength(3);
    expect(few.problems.map((x) => x.code)).toEqual(['limit-entries']);
    const small = await readAll(p, 'application/zip', { ...DEFAULT_LIMITS, maxExpandedBytes: 2000 });
    expect(small.entries).toHaveLength(2);
    expect(small.problems.map((x) => x.code)).toEqual(['limit-bytes']);
  });

  itCorpus('reports encrypted entries and still reads the others (tika testZipEncrypted.zip)', async () => {
    const r = await readAll(join(TIKA, 'pkg/testZipEncrypted.zip'), 'application/zip');
    expect(r.problems.some((p) => p.code === 'encrypted')).toBe(true);
    expect(r.entries.map((e) => e.name)).toContain('unencrypted.txt');
  });

  itCorpus('turns a corrupt zip into a problem, never an exception', async () => {
    const r = await readAll(file(Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(200, 7)])), 'application/zip');
    expect(r.entries).toEqual([]);
    expect(r.problems.map((p) => p.code)).toEqual(['corrupt']);
    expect(r.problems[0]!.reason).toMatch(/not a readable zip archive: .+/);
    const oom = await readAll(join(TIKA, 'microsoft/testZIP_corrupted_oom.zip'), 'application/zip');
    expect(oom.problems.some((p) => p.code === 'corrupt')).toBe(true);
  });

  itCorpus('reads nested zips; a broken central directory is reported (tika)', async () => {
    // Tika's data-descriptor sample has a damaged central directory; we read zips by their directory.
    const dd = await readAll(join(TIKA, 'pkg/testZip_with_DataDescriptor.zip'), 'application/zip');
    expect(dd.problems.map((p) => p.code)).toEqual(['corrupt']);
    expect(dd.problems[0]!.reason).toContain('central directory');
    const nested = await readAll(join(TIKA, 'pkg/test-zip-of-zip.zip'), 'application/zip');
    expect(nested.entries.map((e) => e.name)).toContain('html-within-zip.zip');
    expect(nested.entries.find((e) => e.name === 'html-within-zip.zip')!.bytes.subarray(0, 2).toString()).toBe('PK');
  });

  it('survives a consumer that destroys an entry unread', async () => {
    const p = file(zipSync({ 'a.txt': strToU8('A'.repeat(100000)), 'b.txt': strToU8('bee') }));
    const names: string[] = [];
    let b = '';
    for await (const ev of openContainer(p, 'application/zip', DEFAULT_LIMITS)) {
      if (ev.type !== 'entry') continue;
      names.push(ev.name);
      if (ev.name === 'a.txt') ev.stream.destroy();
      else for await (const c of ev.stream) b += String(c);
    }
    expect(names).toEqual(['a.txt', 'b.txt']);
    expect(b).toBe('bee');
  });
});

describe('tar', () => {
  it('yields regular files, reports links and devices, never follows them', async () => {
    const t = await tarOf([
      { name: 'docs/a.txt', body: 'alpha' },
      { name: 'docs', type: 'directory' },
      { name: 'shadow', type: 'symlink', linkname: '/etc/shadow' },
      { name: 'hard', type: 'link', linkname: 'docs/a.txt' },
      { name: 'tty', type: 'character-device', devmajor: 4, devminor: 1 },
      { name: '../../etc/passwd', body: 'root' },
      { name: '/abs/path', body: 'abs' },
    ]);
    const r = await readAll(file(t), 'application/x-tar');
    expect(r.entries.map((e) => [e.name, e.bytes.toString()])).toEqual([
      ['docs/a.txt', 'alpha'],
      ['etc/passwd', 'root'],
      ['abs/path', 'abs'],
    ]);
    expect(r.problems.map((p) => [p.code, p.name])).toEqual([
      ['link', 'shadow'],
      ['link', 'hard'],
      ['unsupported', 'tty'],
      ['zip-slip', '../../etc/passwd'],
      ['zip-slip', '/abs/path'],
    ]);
    expect(r.problems[0]!.reason).toContain('/etc/shadow');
  });

  it('keeps reading after the consumer drops an entry', async () => {
    const t = await tarOf([
      { name: 'big.bin', body: Buffer.alloc(3 * 1024 * 1024, 1) },
      { name: 'after.txt', body: 'still here' },
    ]);
    const seen: string[] = [];
    for await (const ev of openContainer(file(t), 'application/x-tar', DEFAULT_LIMITS)) {
      if (ev.type !== 'entry') continue;
      if (ev.name === 'big.bin') {
        ev.stream.destroy();
        continue;
      }
      let s = '';
      for await (const c of ev.stream) s += String(c);
      seen.push(`${ev.name}=${s}`);
    }
    expect(seen).toEqual(['after.txt=still here']);
  });

  it('reports a truncated tar after the files it could read', async () => {
    const t = await tarOf([
      { name: 'one.txt', body: 'first' },
      { name: 'two.bin', body: Buffer.alloc(5000, 2) },
    ]);
    const r = await readAll(file(t.subarray(0, 512 + 512 + 512 + 1000)), 'application/x-tar');
    expect(r.entries[0]).toMatchObject({ name: 'one.txt' });
    expect(r.entries[0]!.bytes.toString()).toBe('first');
    expect(r.problems.map((p) => p.code)).toEqual(['corrupt']);
  });

  itCorpus('reads a tar without ustar magic (tika testTAR_no_magic.tar)', async () => {
    const r = await readAll(join(TIKA, 'integration-tests/testTAR_no_magic.tar'), 'application/x-tar');
    expect(r.problems).toEqual([]);
    expect(r.entries.length).toBeGreaterThan(0);
  });

  it('reports non-tar input as corrupt', async () => {
    const r = await readAll(file(Buffer.from('this is not a tar archive at all\n'.repeat(40))), 'application/x-tar');
    expect(r.entries).toEqual([]);
    expect(r.problems.map((p) => p.code)).toEqual(['corrupt']);
  });
});

describe('gzip', () => {
  it('opens a tar.gz found by content and yields the zip inside it untouched', async () => {
    const inner = Buffer.from(zipSync({ 'jdoe/12.eml': strToU8('Subject: hi\r\n\r\nbody\r\n') }));
    const tgz = gzipSync(await tarOf([{ name: 'mail.zip', body: inner }, { name: 'readme.txt', body: 'r' }]));
    const r = await readAll(file(tgz, 'backup.gz'), 'application/gzip');
    expect(r.problems).toEqual([]);
    expect(r.entries.map((e) => e.name)).toEqual(['mail.zip', 'readme.txt']);
    expect(r.entries[0]!.bytes.equals(inner)).toBe(true);
  });

  itCorpus('names a single member after the FNAME header, else after the container', async () => {
    const withName = Buffer.from(fflateGzip(strToU8('hello'), { filename: 'notes.txt' }));
    const a = await readAll(file(withName), 'application/gzip', DEFAULT_LIMITS, 'whatever.gz');
    expect(a.entries.map((e) => [e.name, e.bytes.toString()])).toEqual([['notes.txt', 'hello']]);
    const b = await readAll(file(gzipSync(Buffer.from('hi'))), 'application/gzip', DEFAULT_LIMITS, 'report.csv.gz');
    expect(b.entries.map((e) => e.name)).toEqual(['report.csv']);
    const c = await readAll(join(TIKA, 'pkg/multiple.gz'), 'application/gzip', DEFAULT_LIMITS, 'multiple.gz');
    expect(c.entries).toHaveLength(1);
    expect(c.problems).toEqual([]);
  });

  it('reports a truncated gzip instead of hanging', async () => {
    const gz = gzipSync(Buffer.from('some text that will be cut off '.repeat(2000)));
    const r = await readAll(file(gz.subarray(0, Math.floor(gz.length / 2))), 'application/gzip', DEFAULT_LIMITS, 'cut.txt.gz');
    expect(r.problems.map((p) => p.code)).toEqual(['corrupt']);
    expect(r.problems[0]!.reason).toMatch(/truncated|unexpected end/i);
  });

  it('stops a gzip bomb by ratio while streaming, reading only a little of it', async () => {
    const p = join(dir, 'bomb.gz');
    const zeros = Buffer.alloc(1024 * 1024);
    await pipeline(
      Readable.from((function* () {
        for (let i = 0; i < 200; i++) yield zeros;
      })()),
      createGzip({ level: 9 }),
      createWriteStream(p),
    );
    const compressed = statSync(p).size;
    const r = await readAll(p, 'application/gzip', DEFAULT_LIMITS, 'bomb.gz');
    expect(r.problems.map((x) => x.code)).toEqual(['limit-ratio']);
    const received = r.entries.reduce((s, e) => s + e.bytes.length, 0);
    // stopped at ratio × compressed size (plus one chunk), far short of the 200 MB
    expect(received).toBeLessThanOrEqual(DEFAULT_LIMITS.maxRatio * compressed + 1024 * 1024);
    expect(received).toBeLessThan(100 * 1024 * 1024);
  });

  it('lets the consumer stop early, mid-entry, and open the file again', async () => {
    const p = file(gzipSync(await tarOf([{ name: 'a.bin', body: Buffer.alloc(4 * 1024 * 1024, 3) }, { name: 'b.txt', body: 'b' }])));
    let firstChunk = 0;
    for await (const ev of openContainer(p, 'application/gzip', DEFAULT_LIMITS)) {
      if (ev.type !== 'entry') continue;
      for await (const c of ev.stream) {
        firstChunk = (c as Buffer).length;
        break;
      }
      break;
    }
    expect(firstChunk).toBeGreaterThan(0);
    const again = await readAll(p, 'application/gzip');
    expect(again.entries.map((e) => [e.name, e.bytes.length])).toEqual([['a.bin', 4 * 1024 * 1024], ['b.txt', 1]]);
  });

  itCorpus('opens the tika tgz', async () => {
    const r = await readAll(join(TIKA, 'pkg/test-documents.tgz'), 'application/gzip', DEFAULT_LIMITS, 'test-documents.tgz');
    expect(r.problems).toEqual([]);
    expect(r.entries.map((e) => e.name)).toContain('test-documents/testPDF.pdf');
    expect(r.entries).toHaveLength(9);
  });
});

describe('other containers', () => {
  it('yields the message inside an .emlx, exact bytes', async () => {
    const msg = Buffer.from('From: a@example.org\nSubject: x\n\nbody\n');
    const emlx = Buffer.concat([Buffer.from(`${msg.length}\n`), msg, Buffer.from('<?xml version="1.0"?><plist></plist>\n')]);
    const r = await readAll(file(emlx), 'message/x-emlx');
    expect(r.entries.map((e) => e.name)).toEqual(['message.eml']);
    expect(r.entries[0]!.bytes.equals(msg)).toBe(true);
  });

  itCorpus('says what it cannot open', async () => {
    const r = await readAll(join(TIKA, 'pkg/test-documents.7z'), 'application/x-7z-compressed');
    expect(r.problems.map((p) => p.code)).toEqual(['unsupported']);
  });
});
