import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { authenticate } from 'mailauth';
import { extract as tarExtract } from 'tar-stream';
import yauzl from 'yauzl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeSampleDump } from '../scripts/make-sample-dump.js';

const sha = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex');

function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((p) => statSync(join(dir, p)).isFile())
    .map((p) => p.split('\\').join('/'))
    .sort();
}

/** Hash of every file under dir, by relative path. */
function fingerprint(dir: string): Record<string, string> {
  return Object.fromEntries(listFiles(dir).map((p) => [p, sha(readFileSync(join(dir, p)))]));
}

type Resolver = (name: string, rr: string) => Promise<string[][]>;

function resolverFrom(keysJsonl: string): Resolver {
  const records = new Map<string, string>();
  for (const line of keysJsonl.trim().split('\n')) {
    const r = JSON.parse(line) as { domain: string; selector: string; value: string };
    records.set(`${r.selector}._domainkey.${r.domain}`, r.value);
  }
  return async (name, rr) => {
    const v = rr === 'TXT' ? records.get(name) : undefined;
    if (!v) throw Object.assign(new Error(`queryTxt ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
    return [[v]];
  };
}

async function dkim(raw: Buffer | string, resolver: Resolver): Promise<{ domain: string; result: string; comment: string }[]> {
  const res = await authenticate(raw, { resolver, mta: 'test.invalid', ip: '192.0.2.1', helo: 'test.invalid', disableBimi: true, disableDmarc: true });
  return res.dkim.results.map((r) => ({ domain: String(r.signingDomain), result: r.status.result, comment: r.status.comment ?? '' }));
}

/** mboxrd reader for the test: split on "From " lines, drop one '>' from /^>+From /. */
function mboxMessages(text: string): string[] {
  return text
    .split(/^From .*\n/m)
    .slice(1)
    .map((m) => m.replace(/\n$/, '').replace(/^>(>*From )/gm, '$1'));
}

function zipEntries(buf: Buffer): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(buf, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err ?? new Error('no zip'));
      const out = new Map<string, Buffer>();
      zip.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName.endsWith('/')) {
          out.set(entry.fileName, Buffer.alloc(0));
          return zip.readEntry();
        }
        zip.openReadStream(entry, (e, s) => {
          if (e || !s) return reject(e ?? new Error('no stream'));
          const chunks: Buffer[] = [];
          s.on('data', (c: Buffer) => chunks.push(c));
          s.on('end', () => {
            out.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => resolve(out));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

function tarEntries(buf: Buffer): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    const out = new Map<string, Buffer>();
    const ex = tarExtract();
    ex.on('entry', (header, stream, next) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: unknown) => chunks.push(Buffer.from(c as Uint8Array)));
      stream.on('end', () => {
        out.set(header.name, Buffer.concat(chunks));
        next();
      });
    });
    ex.on('finish', () => resolve(out));
    ex.on('error', reject);
    ex.end(buf);
  });
}

let base: string;
let dump: string;
let resolver: Resolver;
let expected: { items: Record<string, { verdict: string; reason: string; sha256: string }> };

beforeAll(async () => {
  base = mkdtempSync(join(tmpdir(), 'tamis-sample-'));
  dump = join(base, 'dump');
  await makeSampleDump(dump);
  resolver = resolverFrom(readFileSync(join(base, 'keys.jsonl'), 'utf8'));
  expected = JSON.parse(readFileSync(join(base, 'expected.json'), 'utf8')) as typeof expected;
}, 60_000);

afterAll(() => rmSync(base, { recursive: true, force: true }));

const read = (p: string): Buffer => readFileSync(join(dump, p));

describe('makeSampleDump', () => {
  it('writes the dump, the key archive and the expected verdicts', () => {
    const files = listFiles(dump);
    expect(files.filter((f) => f.startsWith('inbox/') && f.endsWith('.eml')).length).toBeGreaterThanOrEqual(15);
    for (const f of ['archive/mailbox.mbox', 'archive/export.zip', 'archive/backup.tar.gz', 'docs/finances/budget-reunions-2017.csv']) {
      expect(files).toContain(f);
    }
    // Every file in the dump has an expected verdict, and each hash matches the file on disk.
    for (const f of files) {
      expect(expected.items[f], f).toBeDefined();
      expect(expected.items[f]?.sha256).toBe(sha(read(f)));
    }
    const verdicts = new Set(Object.values(expected.items).map((e) => e.verdict));
    expect([...verdicts].sort()).toEqual(['consistent', 'suspicious', 'tampered', 'verified']);
    // The key archive holds the rotated key but not agency.example's.
    const keys = readFileSync(join(base, 'keys.jsonl'), 'utf8');
    expect(keys).toContain('"selector":"s2016"');
    expect(keys).not.toContain('agency.example');
  });

  it('is deterministic: a second run gives identical bytes', async () => {
    const other = mkdtempSync(join(tmpdir(), 'tamis-sample-'));
    try {
      await makeSampleDump(join(other, 'dump'));
      expect(fingerprint(other)).toEqual(fingerprint(base));
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  }, 60_000);

  it('authentic messages verify with an independent verifier and the archived keys', async () => {
    for (const f of ['inbox/001.eml', 'inbox/002.eml', 'inbox/003.eml', 'inbox/004.eml', 'inbox/005.eml', 'inbox/007.eml']) {
      expect(await dkim(read(f), resolver), f).toEqual([expect.objectContaining({ result: 'pass' })]);
    }
    expect(read('inbox/002.eml').toString()).toContain('c=simple/simple');
    expect(read('inbox/003.eml').toString()).toContain('a=ed25519-sha256');
  });

  it('tampered messages fail as built: body hash, header signature; appended and prepended content still passes', async () => {
    expect(await dkim(read('inbox/009.eml'), resolver)).toEqual([expect.objectContaining({ comment: 'body hash did not verify' })]);
    expect(await dkim(read('inbox/010.eml'), resolver)).toEqual([expect.objectContaining({ result: 'fail', comment: 'bad signature' })]);
    // These pass a plain verifier: only tamis's l= and duplicate-header checks can tell.
    expect(await dkim(read('inbox/012.eml'), resolver)).toEqual([expect.objectContaining({ result: 'pass' })]);
    expect(read('inbox/012.eml').toString()).toMatch(/; l=\d+;/);
    expect(await dkim(read('inbox/011.eml'), resolver)).toEqual([expect.objectContaining({ result: 'pass' })]);
    expect(read('inbox/011.eml').toString().match(/^From: /gm)?.length).toBe(2);
  });

  it('the no-key, weak-key and mailing-list cases look as intended to the verifier', async () => {
    expect(await dkim(read('inbox/016.eml'), resolver)).toEqual([expect.objectContaining({ comment: 'no key' })]);
    expect((await dkim(read('inbox/015.eml'), resolver))[0]?.result).not.toBe('pass'); // 512 bits < mailauth's 1024 minimum
    const list = await authenticate(read('inbox/017.eml'), { resolver, mta: 'test.invalid', ip: '192.0.2.1', helo: 'x', disableBimi: true });
    expect(list.dkim.results[0]?.status.result).not.toBe('pass');
    expect(list.arc && list.arc.status.result).toBe('pass');
  });

  it('mboxrd: the signed "From " body line is stored escaped and verifies once unescaped', async () => {
    const mbox = read('archive/mailbox.mbox').toString('utf8');
    expect(mbox).toContain('\n>From now on');
    const msgs = mboxMessages(mbox);
    expect(msgs).toHaveLength(4);
    expect(sha(msgs[0] ?? '')).toBe(expected.items['archive/mailbox.mbox!1']?.sha256);
    expect(await dkim(msgs[0] ?? '', resolver)).toEqual([expect.objectContaining({ result: 'pass' })]);
    expect(await dkim(msgs[3] ?? '', resolver)).toEqual([expect.objectContaining({ comment: 'body hash did not verify' })]);
  });

  it('archives nest as described and the loose CSV equals the attachment', async () => {
    const exp = await zipEntries(read('archive/export.zip'));
    expect(exp.has('Jean Dupont/Archives/')).toBe(true);
    expect(exp.get('Jean Dupont/Inbox/0001.eml')?.equals(read('inbox/001.eml'))).toBe(true);
    const tar = await tarEntries(gunzipSync(read('archive/backup.tar.gz')));
    const inner = await zipEntries(tar.get('backup/mail-2017-05.zip') ?? Buffer.alloc(0));
    const urgent = inner.get('mail/urgent.eml') ?? Buffer.alloc(0);
    expect(sha(urgent)).toBe(expected.items['archive/backup.tar.gz!backup/mail-2017-05.zip!mail/urgent.eml']?.sha256);
    expect(await dkim(urgent, resolver)).toEqual([expect.objectContaining({ result: 'pass' })]);
    await expect(zipEntries(read('archive/damaged.zip'))).rejects.toThrow();
    const csv = read('docs/finances/budget-reunions-2017.csv');
    expect(read('inbox/005.eml').toString()).toContain(csv.toString('base64').slice(0, 76));
    expect(sha(csv)).toBe(expected.items['inbox/006.eml!budget-reunions-2017.csv']?.sha256);
    expect(read('docs/finances/budget-reunions-2017 (2).csv').equals(csv)).toBe(false);
  });

  it('the forwarded message inside inbox/007.eml is the signed bytes and verifies on its own', async () => {
    const outer = read('inbox/007.eml').toString('utf8');
    const start = outer.indexOf('\r\n\r\n', outer.indexOf('Content-Type: message/rfc822')) + 4;
    const end = outer.lastIndexOf('\r\n--=_tamis_sample_0007--'); // that CRLF belongs to the boundary
    const inner = outer.slice(start, end);
    expect(sha(inner)).toBe(expected.items['inbox/007.eml!Note pour la presse.eml']?.sha256);
    expect(await dkim(inner, resolver)).toEqual([expect.objectContaining({ result: 'pass' })]);
  });
});

it('expected.json paths are relative to the dump folder', () => {
  for (const p of Object.keys(expected.items)) expect(relative(dump, join(dump, p.split('!')[0] ?? '')).startsWith('..')).toBe(false);
});
