// Verdicts on real signed mail nobody here wrote (iCloud 2023–24, Gmail 2013, RFC 6376/8463 vectors,
// a prototype Exim Ed25519 signer), through the whole pipeline, with the keys archived for them:
// every authentic message verified (or consistent where the signer is not the author's domain),
// every one-byte change tampered, no authentic message pulled down by provider ARC seals whose keys
// nobody archived, and wrong, unusable and missing keys each told apart from tampering.
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { sealMessage } from 'mailauth';
import { beforeAll, expect } from 'vitest';
import { Case } from '../src/store/case.js';
import { Ingestor } from '../src/ingest/pipeline.js';
import { analyseCase } from '../src/analyse/index.js';
import { KeyStore } from '../src/keys/index.js';
import type { Finding, Verdict } from '../src/model.js';
import { CORPUS, HAS_CORPUS, describeCorpus, itCorpus } from './helpers/corpus.js';

const MESSAGES = `${CORPUS}/dkim/messages`;
const KEYS = `${CORPUS}/dkim/keys`;

/** Authentic messages and the verdict their signature earns: verified when d= is the author's domain. */
const AUTHENTIC: { file: string; verdict: Verdict; why: string; rsa: boolean }[] = [
  { file: 'zk-email/email-good.eml', verdict: 'verified', why: 'iCloud, d=icloud.com', rsa: true },
  { file: 'zk-email/email-good-large.eml', verdict: 'verified', why: 'iCloud, d=icloud.com', rsa: true },
  { file: 'zk-email/test.eml', verdict: 'verified', why: 'iCloud, d=icloud.com', rsa: true },
  { file: 'dkimpy/test2.message.eml', verdict: 'consistent', why: 'Gmail signs for From: @strace.org (not aligned)', rsa: true },
  { file: 'dkimpy/rfc6376.signed.msg.eml', verdict: 'verified', why: 'RSA + Ed25519, d=football.example.com', rsa: true },
  { file: 'dkimpy/ed25519test2.msg.eml', verdict: 'consistent', why: 'Exim Ed25519, d=test.ex for From: @example.com', rsa: false },
  { file: 'generated/m01-rsa-pass.eml', verdict: 'verified', why: 'mailauth RSA', rsa: true },
  { file: 'generated/m02-ed25519-pass.eml', verdict: 'verified', why: 'mailauth Ed25519', rsa: false },
];
const KEY_FILES = [
  'real/1a1hai._domainkey.icloud.com.txt',
  'real/20120113._domainkey.gmail.com.txt',
  'dkimpy/brisbane._domainkey.football.example.com.txt',
  'dkimpy/test._domainkey.football.example.com.txt',
  'dkimpy/sed._domainkey.test.ex.txt',
  'generated/rsa2048._domainkey.example.org.txt',
  'generated/ed._domainkey.example.org.txt',
];

const read = (file: string): Buffer => readFileSync(join(MESSAGES, file));
const flat = (file: string): string => file.replace(/\//g, '--');

/** Changes one letter of the Subject (From when there is none), or of the body. */
function oneByte(raw: Buffer, where: 'subject' | 'body'): Buffer {
  const out = Buffer.from(raw);
  const text = raw.toString('latin1');
  const sep = /\r?\n\r?\n/.exec(text);
  const bodyAt = sep ? sep.index + sep[0].length : text.length;
  let at = -1;
  if (where === 'subject') {
    const m = /^subject:[ \t]*/im.exec(text) ?? /^from:[ \t]*/im.exec(text);
    if (m && m.index < bodyAt) at = text.slice(m.index + m[0].length).search(/[a-z]/i) + m.index + m[0].length;
  } else {
    at = text.slice(bodyAt).search(/[a-z]/i) + bodyAt;
  }
  if (at < 0 || at >= raw.length) throw new Error(`nothing to change in the ${where}`);
  out[at] = out[at] === 0x78 ? 0x79 : 0x78; // 'x' or 'y'
  return out;
}

/** The d= of the message's first DKIM signature. */
function signingDomain(raw: Buffer): string {
  const d = /^DKIM-Signature:[^]*?[\s;]d=([^;\s]+)/im.exec(raw.toString('latin1'))?.[1];
  if (!d) throw new Error('no DKIM signature');
  return d;
}

/** Delivered through a big provider: an ARC set sealed with a key no archive holds, recording what it saw. */
async function providerSealed(raw: Buffer): Promise<Buffer> {
  const k = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const headers = await sealMessage(raw, {
    signingDomain: 'google.com',
    selector: 'arc-20160816',
    privateKey: k.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    signTime: new Date('2024-01-10T10:00:00Z'),
    authResults: `mx.google.com; dkim=pass header.d=${signingDomain(raw)}`,
    cv: 'none',
  } as unknown as Parameters<typeof sealMessage>[1]);
  return Buffer.concat([headers, raw]);
}

interface Outcome {
  verdict: Verdict;
  findings: Finding[];
}

async function ingestCase(dir: string, files: Record<string, Buffer>, keyDir?: string): Promise<Map<string, Outcome>> {
  const dump = join(dir, 'dump');
  mkdirSync(dump, { recursive: true });
  for (const [name, bytes] of Object.entries(files)) writeFileSync(join(dump, name), bytes);
  const kase = await Case.open(join(dir, 'case'));
  try {
    if (keyDir) for (const k of (await KeyStore.load([keyDir])).all()) kase.addKey(k);
    await new Ingestor(kase).ingest([dump]);
    await analyseCase(kase);
    const out = new Map<string, Outcome>();
    for (const item of kase.items()) {
      for (const o of kase.occurrencesOf(item.id)) {
        if (o.parentId === null) out.set(basename(o.path), { verdict: item.verdict, findings: kase.findingsOf(item.id) });
      }
    }
    return out;
  } finally {
    kase.close();
  }
}

function keyFolder(dir: string, value: (file: string, record: string) => string): string {
  const folder = join(dir, 'keys');
  mkdirSync(folder, { recursive: true });
  for (const f of KEY_FILES) writeFileSync(join(folder, basename(f)), value(f, readFileSync(join(KEYS, f), 'utf8').trim()));
  return folder;
}

const base = HAS_CORPUS ? mkdtempSync(join(tmpdir(), 'tamis-real-mail-')) : '';
const outcome = (m: Map<string, Outcome>, name: string): Outcome => {
  const o = m.get(name);
  if (!o) throw new Error(`${name} not in the case`);
  return o;
};
const checks = (o: Outcome): string[] => o.findings.map((f) => f.check);

describeCorpus('real signed mail with its archived keys', () => {
  let cases: Map<string, Outcome>;
  beforeAll(async () => {
    const files: Record<string, Buffer> = {};
    for (const a of AUTHENTIC) {
      const raw = read(a.file);
      files[flat(a.file)] = raw;
      files[`sealed--${flat(a.file)}`] = await providerSealed(raw);
      files[`subject--${flat(a.file)}`] = oneByte(raw, 'subject');
      files[`body--${flat(a.file)}`] = oneByte(raw, 'body');
    }
    cases = await ingestCase(join(base, 'archived'), files, keyFolder(join(base, 'archived'), (_f, record) => record));
  }, 120_000);

  itCorpus('verifies every authentic message, or finds it consistent where d= is not the author', () => {
    expect(AUTHENTIC.map((a) => [a.file, outcome(cases, flat(a.file)).verdict])).toEqual(AUTHENTIC.map((a) => [a.file, a.verdict]));
  });

  itCorpus('keeps each verdict when the message also carries a provider ARC seal nobody archived the key of', () => {
    expect(AUTHENTIC.map((a) => [a.file, outcome(cases, `sealed--${flat(a.file)}`).verdict])).toEqual(AUTHENTIC.map((a) => [a.file, a.verdict]));
    for (const a of AUTHENTIC) {
      const alarms = outcome(cases, `sealed--${flat(a.file)}`).findings.filter((f) => f.check.startsWith('arc.') && f.severity !== 'info');
      expect([a.file, alarms]).toEqual([a.file, []]);
    }
  });

  itCorpus('calls every one-byte change of the body tampered', () => {
    expect(AUTHENTIC.map((a) => [a.file, outcome(cases, `body--${flat(a.file)}`).verdict])).toEqual(AUTHENTIC.map((a) => [a.file, 'tampered']));
  });

  itCorpus('calls every one-byte change of a signed header tampered where RSA shows the signer, never verified', () => {
    for (const a of AUTHENTIC) {
      const o = outcome(cases, `subject--${flat(a.file)}`);
      // Ed25519 cannot tell a changed header from another key: not proof of tampering on its own.
      if (a.rsa) expect([a.file, o.verdict]).toEqual([a.file, 'tampered']);
      else expect([a.file, o.verdict === 'verified' || o.verdict === 'tampered']).toEqual([a.file, false]);
    }
  });
});

describeCorpus('the same mail with keys that are not the signers\'', () => {
  itCorpus('a rotated key (another key under the same selector) is a key mismatch, never tampered', async () => {
    const dir = join(base, 'rotated');
    const other = (): string => {
      const spki = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'der' });
      return `v=DKIM1; k=rsa; p=${spki.toString('base64')}`;
    };
    const rsaOnly = AUTHENTIC.filter((a) => a.file.startsWith('zk-email/') || a.file.startsWith('generated/m01'));
    const files = Object.fromEntries(rsaOnly.map((a) => [flat(a.file), read(a.file)]));
    const out = await ingestCase(dir, files, keyFolder(dir, (f, record) => (/k=ed25519/.test(record) ? record : other())));
    for (const a of rsaOnly) {
      const o = outcome(out, flat(a.file));
      expect([a.file, o.verdict === 'tampered' || o.verdict === 'verified']).toEqual([a.file, false]);
      expect([a.file, checks(o)]).toEqual([a.file, expect.arrayContaining(['dkim.key-mismatch'])]);
    }
  }, 120_000);

  itCorpus('an unusable key record gets a finding naming the key file and what is wrong', async () => {
    const dir = join(base, 'unusable');
    const broken: Record<string, string> = {
      '1a1hai._domainkey.icloud.com.txt': 'v=DKIM1; k=rsa; p=MIIBIjANBgkq!!!notbase64', // unparseable p=
      'rsa2048._domainkey.example.org.txt': 'v=DKIM1; k=dsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8A', // k= not rsa/ed25519
      '20120113._domainkey.gmail.com.txt': `k=rsa; h=sha1; ${readFileSync(join(KEYS, 'real/20120113._domainkey.gmail.com.txt'), 'utf8').trim().replace(/^k=rsa; /, '')}`, // h= excludes sha256
      'test._domainkey.football.example.com.txt': 'v=DKIM1; k=rsa; p=', // revoked
    };
    const files = {
      'icloud.eml': read('zk-email/email-good.eml'),
      'm01.eml': read('generated/m01-rsa-pass.eml'),
      'gmail.eml': read('dkimpy/test2.message.eml'),
      'football.eml': read('dkimpy/rfc6376.signed.rsa.msg.eml'),
    };
    const out = await ingestCase(dir, files, keyFolder(dir, (f, record) => broken[basename(f)] ?? record));
    const expected: [string, string][] = [
      ['icloud.eml', '1a1hai._domainkey.icloud.com.txt'],
      ['m01.eml', 'rsa2048._domainkey.example.org.txt'],
      ['gmail.eml', '20120113._domainkey.gmail.com.txt'],
      ['football.eml', 'test._domainkey.football.example.com.txt'],
    ];
    for (const [name, keyFile] of expected) {
      const o = outcome(out, name);
      expect([name, o.verdict === 'tampered' || o.verdict === 'verified']).toEqual([name, false]);
      const naming = o.findings.filter((f) => f.check.startsWith('dkim.') && JSON.stringify(f).includes(keyFile));
      expect([name, naming.length > 0]).toEqual([name, true]);
    }
  }, 120_000);

  itCorpus('without any key, signed mail is consistent and says its signature was not checked', async () => {
    const dir = join(base, 'nokeys');
    const files = Object.fromEntries(AUTHENTIC.map((a) => [flat(a.file), read(a.file)]));
    const out = await ingestCase(dir, files);
    for (const a of AUTHENTIC) {
      const o = outcome(out, flat(a.file));
      // Test vectors were signed (t=) years after their Date:, a real red flag when no key proves them.
      const alarms = o.findings.filter((f) => f.severity !== 'info');
      const lateSigned = alarms.length > 0 && alarms.every((f) => f.check === 'dkim.timestamp');
      expect([a.file, o.verdict]).toEqual([a.file, lateSigned ? 'suspicious' : 'consistent']);
      expect([a.file, checks(o)]).toEqual([a.file, expect.arrayContaining(['dkim.no-key'])]);
    }
  }, 120_000);
});
