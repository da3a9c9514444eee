import { promises as fsp } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import PostalMime from 'postal-mime';
import { describe, expect } from 'vitest';
import { DEFAULT_LIMITS } from '../src/ingest/limits.js';
import { readPst } from '../src/ingest/outlook/pst.js';
import type { ContainerEvent } from '../src/ingest/outlook/types.js';
import { itCorpus } from './helpers/corpus.js';

const PST = '../shared/corpus/documents/tika/microsoft/testPST.pst';
const PST_BODIES = '../shared/corpus/documents/tika/microsoft/testPST_variousBodyTypes.pst';

async function collect(events: AsyncIterable<ContainerEvent>) {
  const entries: { name: string; bytes: Buffer; rebuilt?: boolean; size?: number }[] = [];
  const problems: Extract<ContainerEvent, { type: 'problem' }>[] = [];
  for await (const ev of events) {
    if (ev.type === 'entry') {
      const chunks: Buffer[] = [];
      for await (const c of ev.stream) chunks.push(c as Buffer);
      entries.push({ name: ev.name, bytes: Buffer.concat(chunks), rebuilt: ev.rebuilt, size: ev.size });
    } else problems.push(ev);
  }
  return { entries, problems };
}

describe('readPst on Tika testPST.pst', () => {
  itCorpus('yields the 7 messages named by folder path, rebuilt with their transport headers', async () => {
    const { entries } = await collect(readPst(PST, DEFAULT_LIMITS));
    // Tika: pst + 7 messages + 1 attached .msg + 1 .docx
    expect(entries.map((e) => e.name)).toEqual(
      [1, 2, 3, 4, 5, 6, 7].map((n) => `Début du fichier de données Outlook/0000${n}.eml`),
    );
    for (const e of entries) {
      expect(e.rebuilt).toBe(true);
      expect(e.size).toBe(e.bytes.length);
      expect(e.bytes.toString('latin1')).toMatch(/^X-Tamis-Rebuilt: outlook-pst\r\n/);
    }
    const first = entries[0]!;
    const email = await PostalMime.parse(first.bytes);
    expect(email.from).toMatchObject({ name: 'Jörn Kottmann', address: 'kottmann@gmail.com' });
    expect(email.subject).toBe('Re: Feature Generators');
    expect(email.to?.[0]?.address).toBe('users@opennlp.apache.org');
    // The Received chain is kept verbatim from PR_TRANSPORT_MESSAGE_HEADERS.
    expect(email.headers.filter((h) => h.key === 'received').length).toBeGreaterThan(1);
  });

  itCorpus('rebuilds the attached message as message/rfc822 with its .docx inside', async () => {
    const { entries } = await collect(readPst(PST, DEFAULT_LIMITS));
    const fw = await PostalMime.parse(entries[6]!.bytes);
    expect(fw.subject).toBe('FW: First email');
    const inner = fw.attachments.find((a) => a.mimeType === 'message/rfc822');
    expect(inner?.filename).toBe('First email.eml');
    const innerEmail = await PostalMime.parse(inner!.content as ArrayBuffer);
    expect(innerEmail.subject).toBe('First email');
    const docx = innerEmail.attachments.find((a) => a.filename?.endsWith('.docx'));
    expect(docx).toBeDefined();
    expect(Buffer.from(docx!.content as ArrayBuffer).subarray(0, 2).toString('latin1')).toBe('PK');
  });

  itCorpus('is deterministic', async () => {
    const a = await collect(readPst(PST, DEFAULT_LIMITS));
    const b = await collect(readPst(PST, DEFAULT_LIMITS));
    expect(a.entries.map((e) => e.bytes.toString('base64'))).toEqual(b.entries.map((e) => e.bytes.toString('base64')));
  });

  itCorpus('stops at the entry limit with a limit-entries problem', async () => {
    const { entries, problems } = await collect(readPst(PST, { ...DEFAULT_LIMITS, maxEntries: 3 }));
    expect(entries).toHaveLength(3);
    expect(problems.map((p) => p.code)).toEqual(['limit-entries']);
  });
});

describe('readPst on testPST_variousBodyTypes.pst', () => {
  itCorpus('walks nested folders and keeps every body type', async () => {
    const { entries } = await collect(readPst(PST_BODIES, DEFAULT_LIMITS));
    // Tika: pst + 4 messages
    expect(entries.map((e) => e.name)).toEqual(
      [1, 2, 3, 4].map((n) => `Top of Outlook data file/Inbox/tmp/0000${n}.eml`),
    );
    const parsed = await Promise.all(entries.map((e) => PostalMime.parse(e.bytes)));
    expect(parsed.map((p) => p.subject)).toEqual(['original email', 'FW: original email', 'FW: original email', 'FW: original email']);
    expect(parsed[0]!.html).toBeTruthy();
    // The RTF-only message keeps its RTF body as an attachment rather than losing it.
    const rtf = parsed[2]!.attachments.find((a) => a.filename === 'body.rtf');
    expect(Buffer.from(rtf!.content as ArrayBuffer).subarray(0, 5).toString('latin1')).toBe('{\\rtf');
  });
});

describe('readPst on damaged input', () => {
  itCorpus('reports corrupt files as problems instead of throwing', async () => {
    const dir = await fsp.mkdtemp(join(tmpdir(), 'tamis-pst-test-'));
    try {
      const full = await fsp.readFile(PST);
      await fsp.writeFile(join(dir, 'cut.pst'), full.subarray(0, 3000));
      await fsp.writeFile(join(dir, 'text.pst'), 'hello');
      for (const f of ['cut.pst', 'text.pst']) {
        const { entries, problems } = await collect(readPst(join(dir, f), DEFAULT_LIMITS));
        expect(entries).toEqual([]);
        expect(problems.length).toBeGreaterThan(0);
        expect(problems.every((p) => p.code === 'corrupt')).toBe(true);
      }
    } finally {
      await fsp.rm(dir, { recursive: true, force: true });
    }
  });
});
