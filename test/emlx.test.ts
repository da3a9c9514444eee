import { promises as fsp } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { readEmlx } from '../src/ingest/emlx.js';
import { DEFAULT_LIMITS } from '../src/ingest/limits.js';
import { extraReaders, sniffOutlook } from '../src/ingest/outlook/index.js';
import type { ContainerEvent } from '../src/ingest/outlook/types.js';
import { HAS_CORPUS, describeCorpus } from './helpers/corpus.js';

const DOCS = '../shared/corpus/documents';
const SIGNED = '../shared/corpus/dkim/messages/dkimpy';

async function collect(events: AsyncIterable<ContainerEvent>) {
  const entries: { name: string; bytes: Buffer; rebuilt?: boolean }[] = [];
  const problems: Extract<ContainerEvent, { type: 'problem' }>[] = [];
  for await (const ev of events) {
    if (ev.type === 'entry') {
      const chunks: Buffer[] = [];
      for await (const c of ev.stream) chunks.push(c as Buffer);
      entries.push({ name: ev.name, bytes: Buffer.concat(chunks), rebuilt: ev.rebuilt });
    } else problems.push(ev);
  }
  return { entries, problems };
}

const PLIST = '<?xml version="1.0" encoding="UTF-8"?>\n<plist version="1.0"><dict><key>flags</key><integer>8590195713</integer></dict></plist>\n';

let dir: string;
let original: Buffer;
beforeAll(async () => {
  if (!HAS_CORPUS) return;
  dir = await fsp.mkdtemp(join(tmpdir(), 'tamis-emlx-test-'));
  const signed = (await fsp.readdir(SIGNED)).filter((f) => f.endsWith('.eml')).sort()[0]!;
  original = await fsp.readFile(join(SIGNED, signed));
  const framed = Buffer.concat([Buffer.from(`${original.length}       \n`), original, Buffer.from(PLIST)]);
  await fsp.writeFile(join(dir, '12345.emlx'), framed);
  await fsp.writeFile(join(dir, 'short.emlx'), Buffer.concat([Buffer.from(`${original.length + 500}\n`), original]));
  await fsp.writeFile(join(dir, 'plain.emlx'), original);
});
afterAll(async () => {
  if (!HAS_CORPUS) return;
  await fsp.rm(dir, { recursive: true, force: true });
});

describeCorpus('readEmlx', () => {
  it('yields exactly the original message bytes, not rebuilt', async () => {
    const { entries, problems } = await collect(readEmlx(join(dir, '12345.emlx')));
    expect(problems).toEqual([]);
    expect(entries).toHaveLength(1);
    expect(entries[0]!.name).toBe('12345.eml');
    expect(entries[0]!.rebuilt).toBeUndefined();
    expect(entries[0]!.bytes.equals(original)).toBe(true);
  });

  it('reports a message shorter than its byte count as truncated', async () => {
    const { entries, problems } = await collect(readEmlx(join(dir, 'short.emlx')));
    expect(entries[0]!.bytes.equals(original)).toBe(true);
    expect(problems.map((p) => p.code)).toEqual(['corrupt']);
  });

  it('reports a file without the byte-count line as corrupt', async () => {
    const { entries, problems } = await collect(readEmlx(join(dir, 'plain.emlx')));
    expect(entries).toEqual([]);
    expect(problems.map((p) => p.code)).toEqual(['corrupt']);
  });
});

describeCorpus('sniffOutlook', () => {
  const head = async (p: string) => {
    const fh = await fsp.open(p, 'r');
    try {
      const buf = Buffer.alloc(64 * 1024);
      const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
      return buf.subarray(0, bytesRead);
    } finally {
      await fh.close();
    }
  };

  it.each([
    [`${DOCS}/tika/microsoft/testPST.pst`, 'application/vnd.ms-outlook-pst'],
    [`${DOCS}/tika/microsoft/testMSG.msg`, 'application/vnd.ms-outlook'],
    [`${DOCS}/msgreader/msgInMsg.msg`, 'application/vnd.ms-outlook'],
    [`${DOCS}/exiftool/images/TNEF.tnef`, 'application/ms-tnef'],
    [`${DOCS}/tika/pkg/test-documents.7z`, 'application/x-7z-compressed'],
    [`${DOCS}/exiftool/images/ZIP.rar`, 'application/vnd.rar'],
    [`${DOCS}/tika/pkg/test-bz2.txt.bz2`, 'application/x-bzip2'],
  ])('recognises %s by its bytes', async (file, type) => {
    // A neutral name: the bytes alone must decide.
    expect(sniffOutlook(await head(file), 'unnamed')).toBe(type);
    expect(extraReaders.some((r) => r.mediaTypes.includes(type))).toBe(true);
  });

  it('recognises an .emlx and leaves other files alone', async () => {
    expect(sniffOutlook(await head(join(dir, '12345.emlx')), 'x')).toBe('message/x-emlx');
    expect(sniffOutlook(await head(join(dir, 'plain.emlx')), 'plain.emlx')).toBeUndefined();
    // An OLE2 Word document is not a .msg.
    expect(sniffOutlook(await head(`${DOCS}/tika/microsoft/testWORD.doc`), 'testWORD.doc')).toBeUndefined();
  });

  it('routes each media type to a reader that opens the file', async () => {
    const reader = extraReaders.find((r) => r.mediaTypes.includes('message/x-emlx'))!;
    const { entries } = await collect(reader.open(join(dir, '12345.emlx'), DEFAULT_LIMITS));
    expect(entries).toHaveLength(1);
  });
});
