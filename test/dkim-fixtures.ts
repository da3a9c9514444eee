// Test-time fixtures for the DKIM/ARC tests: keys generated per run, messages signed and sealed by
// mailauth (an independent implementation), never by our own code.
import { generateKeyPairSync } from 'node:crypto';
import { dkimSign, sealMessage } from 'mailauth';
import { KeyStore, type DkimKey } from '../src/keys/index.js';
import { verifyEmail } from '../src/dkim/index.js';
import type { EmailAuthResult } from '../src/dkim/types.js';

export interface TestKey {
  selector: string;
  privateKey: string;
  record: string;
}

function rsaKey(selector: string, bits: number): TestKey {
  const k = generateKeyPairSync('rsa', { modulusLength: bits });
  const spki = k.publicKey.export({ type: 'spki', format: 'der' });
  return { selector, privateKey: k.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), record: `v=DKIM1; k=rsa; p=${spki.toString('base64')}` };
}

function edKey(selector: string): TestKey {
  const k = generateKeyPairSync('ed25519');
  const raw = k.publicKey.export({ type: 'spki', format: 'der' }).subarray(-32);
  return { selector, privateKey: k.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), record: `v=DKIM1; k=ed25519; p=${raw.toString('base64')}` };
}

export const keys = {
  rsa2048: rsaKey('rsa2048', 2048),
  rsa512: rsaKey('rsa512', 512),
  ed: edKey('ed'),
  list: rsaKey('arc', 2048),
  other: rsaKey('rsa2048', 2048), // same selector, different key: a rotated key
  otherEd: edKey('ed'), // the same for Ed25519
};

/** A key store holding only `value` for `selector._domainkey.example.org` (plus optional dates). */
export function storeOf(selector: string, value: string, source = 'test:only', dates: { firstSeenAt?: string; lastSeenAt?: string } = {}): KeyStore {
  const s = new KeyStore();
  s.add({ domain: 'example.org', selector, value, source, ...dates });
  return s;
}

export const BASE =
  'From: Alice <alice@example.org>\r\n' +
  'To: bob@example.net\r\n' +
  'Subject: Quarterly figures\r\n' +
  'Date: Tue, 03 Mar 2015 12:00:00 +0000\r\n' +
  'Message-ID: <1@example.org>\r\n' +
  '\r\n' +
  'Hello Bob,\r\n' +
  '\r\n' +
  'the  figures are attached.   \r\n' +
  '\r\n\r\n';

export const SIGN_TIME = new Date('2015-03-03T12:00:30Z');

export interface SignOpts {
  key?: TestKey;
  domain?: string;
  algorithm?: 'rsa-sha256' | 'rsa-sha1' | 'ed25519-sha256';
  canonicalization?: string;
  /** Colon-separated, as mailauth expects (`from:subject`). */
  headerList?: string;
  maxBodyLength?: number;
  signTime?: Date;
  expires?: Date;
}

/** Signs with mailauth and returns signature header(s) + message. */
export async function sign(message: string | Buffer, o: SignOpts = {}): Promise<Buffer> {
  const key = o.key ?? keys.rsa2048;
  const data = {
    signingDomain: o.domain ?? 'example.org',
    selector: key.selector,
    privateKey: key.privateKey,
    algorithm: o.algorithm ?? (key === keys.ed ? 'ed25519-sha256' : 'rsa-sha256'),
    canonicalization: o.canonicalization ?? 'relaxed/relaxed',
    ...(o.maxBodyLength !== undefined ? { maxBodyLength: o.maxBodyLength } : {}),
  };
  // mailauth only signs when given signatureData (a top-level key alone yields no signature);
  // headerList, signTime and expires are top-level options. It cannot write i= at all.
  const top = { signTime: o.signTime ?? SIGN_TIME, ...(o.headerList ? { headerList: o.headerList } : {}), ...(o.expires ? { expires: o.expires } : {}) };
  const res = await dkimSign(message, { ...top, signatureData: [data] } as unknown as Parameters<typeof dkimSign>[1]);
  if (res.errors?.length) throw new Error(`mailauth could not sign: ${String(res.errors[0])}`);
  if (!res.signatures.startsWith('DKIM-Signature')) throw new Error('mailauth produced no signature');
  return Buffer.concat([Buffer.from(res.signatures), Buffer.isBuffer(message) ? message : Buffer.from(message)]);
}

/** Adds one ARC set sealed by list.example with mailauth. */
export async function seal(message: Buffer, authResults: string, cv: 'none' | 'pass' | 'fail'): Promise<Buffer> {
  const headers = await sealMessage(message, {
    signingDomain: 'list.example',
    selector: keys.list.selector,
    privateKey: keys.list.privateKey,
    signTime: SIGN_TIME,
    authResults,
    cv,
  } as unknown as Parameters<typeof sealMessage>[1]);
  return Buffer.concat([headers, message]);
}

export function storeWith(...extra: DkimKey[]): KeyStore {
  const s = new KeyStore();
  s.add({ domain: 'example.org', selector: 'rsa2048', value: keys.rsa2048.record, source: 'test:rsa2048' });
  s.add({ domain: 'example.org', selector: 'rsa512', value: keys.rsa512.record, source: 'test:rsa512' });
  s.add({ domain: 'example.org', selector: 'ed', value: keys.ed.record, source: 'test:ed' });
  s.add({ domain: 'list.example', selector: 'arc', value: keys.list.record, source: 'test:list' });
  for (const k of extra) s.add(k);
  return s;
}

export async function verify(raw: Buffer, store: KeyStore = storeWith()): Promise<EmailAuthResult> {
  return verifyEmail(raw, { keys: store });
}

/** Replaces the first occurrence of `from` in the message bytes (latin1-safe). */
export function replace(raw: Buffer, from: string, to: string): Buffer {
  const s = raw.toString('latin1');
  if (!s.includes(from)) throw new Error(`fixture does not contain ${JSON.stringify(from)}`);
  return Buffer.from(s.replace(from, to), 'latin1');
}
