import { promises as fsp } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import PostalMime from 'postal-mime';
import { describe, expect } from 'vitest';
import { readMsg } from '../src/ingest/outlook/msg.js';
import type { ContainerEvent } from '../src/ingest/outlook/types.js';
import { itCorpus } from './helpers/corpus.js';

const DOCS = '../shared/corpus/documents';

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

async function rebuiltEmail(file: string) {
  const { entries, problems } = await collect(readMsg(file));
  expect(problems.filter((p) => p.code === 'corrupt')).toEqual([]);
  expect(entries).toHaveLength(1);
  const entry = entries[0]!;
  return { entry, email: await PostalMime.parse(entry.bytes) };
}

interface ExpectedMsg {
  subject?: string;
  senderEmail?: string;
  senderSmtpAddress?: string;
  body?: string;
  recipients?: { email?: string; smtpAddress?: string }[];
  attachments?: { fileName?: string; name?: string; innerMsgContent?: boolean }[];
}

/** Rows of the corpus manifest that carry msgreader's own expected getFileData() JSON. */
async function msgreaderCases(): Promise<{ msg: string; json: string }[]> {
  const manifest = await fsp.readFile(`${DOCS}/MANIFEST.tsv`, 'utf8');
  return manifest
    .split('\n')
    .map((l) => l.split('\t'))
    .filter((c) => c[0]?.startsWith('msgreader/') && c[0].endsWith('.msg'))
    .flatMap((c) => {
      const m = /full expected getFileData\(\) JSON: (msgreader\/[^)]+\.json)/.exec(c[3] ?? '');
      return m?.[1] ? [{ msg: `${DOCS}/${c[0]}`, json: `${DOCS}/${m[1]}` }] : [];
    });
}

/**
 * msgreader's own test parses contactAnsi.msg without a code page, so its JSON holds the Latin-1
 * reading of 8-bit strings ("R hbg COUv a"); we decode with the message's locale (Japanese, 932).
 * The same contact saved as Unicode (contactUnicode) gives the true text: compare against that.
 */
const UNICODE_TWIN: Record<string, string> = { 'contactAnsi.msg': 'contactUnicode.json' };

const norm = (s: string | undefined) => (s ?? '').replace(/\r\n/g, '\n').trimEnd();
const smtp = (s: string | undefined) => (s && s.includes('@') ? s.toLowerCase() : undefined);

describe('readMsg on msgreader test files', () => {
  itCorpus('agrees with the JSON msgreader asserts: subject, sender, recipients, body, attachments', async () => {
    const cases = await msgreaderCases();
    expect(cases.length).toBeGreaterThanOrEqual(30);
    const disagreements: string[] = [];
    for (const c of cases) {
      const want = JSON.parse(await fsp.readFile(c.json, 'utf8')) as ExpectedMsg;
      const twin = UNICODE_TWIN[c.msg.slice(c.msg.lastIndexOf('/') + 1)];
      if (twin) want.subject = (JSON.parse(await fsp.readFile(`${DOCS}/msgreader/${twin}`, 'utf8')) as ExpectedMsg).subject;
      const { entry, email } = await rebuiltEmail(c.msg);
      const diffs: string[] = [];
      if ((email.subject ?? '') !== (want.subject ?? '')) diffs.push(`subject ${email.subject} != ${want.subject}`);
      const sender = smtp(want.senderSmtpAddress) ?? smtp(want.senderEmail);
      if (sender && email.from?.address?.toLowerCase() !== sender) diffs.push(`sender ${email.from?.address} != ${sender}`);
      const got = new Set(
        [...(email.to ?? []), ...(email.cc ?? []), ...(email.bcc ?? [])].map((a) => a.address?.toLowerCase()),
      );
      for (const r of want.recipients ?? []) {
        const addr = smtp(r.smtpAddress) ?? smtp(r.email);
        if (addr && !got.has(addr)) diffs.push(`recipient ${addr} missing`);
      }
      if (norm(email.text) !== norm(want.body)) diffs.push('body differs');
      const wantNames = (want.attachments ?? []).map((a) => (a.innerMsgContent ? `${a.name}.eml` : a.fileName));
      const gotNames = email.attachments.map((a) => a.filename).filter((n) => n !== 'body.rtf');
      if (JSON.stringify(gotNames) !== JSON.stringify(wantNames)) diffs.push(`attachments ${gotNames} != ${wantNames}`);
      expect(entry.bytes.toString('latin1')).toMatch(/^X-Tamis-Rebuilt: outlook-msg\r\n/);
      expect(entry.rebuilt).toBe(true);
      if (diffs.length > 0) disagreements.push(`${c.msg}: ${diffs.join('; ')}`);
    }
    console.log(`msgreader agreement: ${cases.length - disagreements.length}/${cases.length}`);
    expect(disagreements).toEqual([]);
  });

  itCorpus('decodes 8-bit (PT_STRING8) properties with the message code page', async () => {
    const { email } = await rebuiltEmail(`${DOCS}/msgreader/nonUnicodeCP932.msg`);
    expect(email.subject).toBe('日本語 Non Unicode タイトル');
  });

  itCorpus('rebuilds an attached message as a message/rfc822 part', async () => {
    const { email } = await rebuiltEmail(`${DOCS}/msgreader/msgInMsg.msg`);
    const inner = email.attachments.find((a) => a.mimeType === 'message/rfc822');
    expect(inner).toBeDefined();
    const innerEmail = await PostalMime.parse(inner!.content as ArrayBuffer);
    expect(innerEmail.subject).toBe('Microsoft Outlook テスト メッセージ');
    expect(innerEmail.from?.address).toBe('xmailuser@xmailserver.test');
    const png = email.attachments.find((a) => a.filename === 'green.png');
    expect(Buffer.from(png!.content as ArrayBuffer).subarray(1, 4).toString('latin1')).toBe('PNG');
  });
});

describe('readMsg on Tika test files', () => {
  itCorpus('keeps the stored transport headers verbatim (testMSG.msg)', async () => {
    const { entry, email } = await rebuiltEmail(`${DOCS}/tika/microsoft/testMSG.msg`);
    expect(email.from?.address).toBe('jukka.zitting@gmail.com');
    expect(email.to?.[0]?.address).toBe('tika-dev@lucene.apache.org');
    const text = entry.bytes.toString('utf8');
    expect(text).toContain('X-OriginalArrivalTime: 29 Jan 2009 19:17:10.0163 (UTC) FILETIME=[2ED25E30:01C98246]');
    expect(text).toMatch(/\r\nReceived: /);
  });

  itCorpus('decodes a Big5 (code page 950) message (testMSG_chinese.msg)', async () => {
    const { entry } = await rebuiltEmail(`${DOCS}/tika/microsoft/testMSG_chinese.msg`);
    const text = entry.bytes.toString('utf8');
    expect(text).toContain('<EBB9951D34EA4B41B70AB946CF3FB6EC1A297D98@ftm02.FT.FTG.COM>');
    const email = await PostalMime.parse(entry.bytes);
    expect(email.from?.name ?? '').toContain('張毓倫');
  });

  itCorpus('yields both attachments of testMSG_att_msg.msg, the embedded one as message/rfc822', async () => {
    const { email } = await rebuiltEmail(`${DOCS}/tika/microsoft/testMSG_att_msg.msg`);
    const names = email.attachments.map((a) => `${a.mimeType} ${a.filename}`);
    expect(names).toContain('message/rfc822 Test Attachment.eml');
    expect(names.some((n) => n.endsWith('smbprn.00009008.KdcPjl.pdf'))).toBe(true);
  });

  itCorpus('is deterministic: same file, same bytes', async () => {
    const a = await rebuiltEmail(`${DOCS}/tika/microsoft/testMSG_att_msg.msg`);
    const b = await rebuiltEmail(`${DOCS}/tika/microsoft/testMSG_att_msg.msg`);
    expect(a.entry.bytes.equals(b.entry.bytes)).toBe(true);
  });
});

describe('readMsg on damaged input', () => {
  itCorpus('reports a truncated or foreign file as corrupt instead of throwing', async () => {
    const dir = await fsp.mkdtemp(join(tmpdir(), 'tamis-msg-test-'));
    try {
      const full = await fsp.readFile(`${DOCS}/msgreader/msgInMsg.msg`);
      await fsp.writeFile(join(dir, 'cut.msg'), full.subarray(0, 1500));
      await fsp.writeFile(join(dir, 'text.msg'), 'not an Outlook message at all\n');
      for (const f of ['cut.msg', 'text.msg']) {
        const { entries, problems } = await collect(readMsg(join(dir, f)));
        expect(entries).toEqual([]);
        expect(problems.map((p) => p.code)).toEqual(['corrupt']);
        expect(problems[0]!.reason).toContain(f);
      }
    } finally {
      await fsp.rm(dir, { recursive: true, force: true });
    }
  });
});
