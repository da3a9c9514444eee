// Builds the DKIM benchmark corpus: messages signed by an independent signer (mailauth's dkimSign),
// never by our own code, so the benchmark also checks that we agree with another implementation.
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dkimSign } from 'mailauth/lib/dkim/sign.js';
import { cached } from './cache.js';
import { Prng, prose, wordLine } from './prng.js';

export type BenchAlgorithm = 'rsa-sha256' | 'ed25519-sha256';
export type BenchCanon = 'relaxed/relaxed' | 'simple/simple';

export interface BenchKey {
  domain: string;
  selector: string;
  algorithm: BenchAlgorithm;
  privateKeyPem: string;
  /** DNS TXT record value published for selector._domainkey.domain. */
  txt: string;
}

export interface BenchMessage {
  file: string;
  bytes: number;
  algorithm: BenchAlgorithm;
  canonicalization: BenchCanon;
  domain: string;
  selector: string;
}

export interface DkimCorpus {
  dir: string;
  reused: boolean;
  keyTableFile: string;
  messages: BenchMessage[];
}

export interface CorpusParams {
  count: number;
  /** Total message size range in bytes (log-uniform); min === max for the small-message set. */
  minBytes: number;
  maxBytes: number;
  seed: number;
}

const DOMAINS = ['alpha.example', 'bravo.example', 'charlie.example', 'delta.example'];
// Bump when the generator changes so old caches are not reused.
const GENERATOR_VERSION = 2;

/**
 * Key pairs cannot be derived from a seed with node:crypto, so they are generated once and cached;
 * message corpora are keyed by the key set's cache folder, so new keys mean new messages.
 */
export async function benchKeys(): Promise<{ dir: string; keys: BenchKey[] }> {
  const { dir, summary } = await cached('dkim-keys', { v: GENERATOR_VERSION, domains: DOMAINS }, async () => {
    const keys: BenchKey[] = [];
    for (const domain of DOMAINS) {
      const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const rsaSpki = rsa.publicKey.export({ type: 'spki', format: 'der' });
      keys.push({
        domain,
        selector: 'rsa2048',
        algorithm: 'rsa-sha256',
        privateKeyPem: rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
        txt: `v=DKIM1; k=rsa; p=${rsaSpki.toString('base64')}`,
      });
      const ed = generateKeyPairSync('ed25519');
      // RFC 8463: p= is the raw 32-byte public key, i.e. the tail of the SPKI DER encoding.
      const edRaw = ed.publicKey.export({ type: 'spki', format: 'der' }).subarray(-32);
      keys.push({
        domain,
        selector: 'ed25519',
        algorithm: 'ed25519-sha256',
        privateKeyPem: ed.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
        txt: `v=DKIM1; k=ed25519; p=${edRaw.toString('base64')}`,
      });
    }
    return keys;
  });
  return { dir, keys: summary };
}

/** `selector._domainkey.domain` -> TXT value, the local "DNS" every peer reads. */
export function keyTable(keys: BenchKey[]): Record<string, string> {
  const table: Record<string, string> = {};
  for (const k of keys) table[`${k.selector}._domainkey.${k.domain}`] = k.txt;
  return table;
}

export function base64Lines(data: Buffer): string {
  return (data.toString('base64').match(/.{1,76}/g) ?? []).join('\r\n') + '\r\n';
}

/** An unsigned message of about `target` bytes (headers + body), CRLF line ends. */
function unsignedMessage(rng: Prng, index: number, domain: string, target: number): Buffer {
  const date = new Date(Date.UTC(2024, 0, 1) + index * 97_000);
  const subject = wordLine(rng, rng.int(20, 120));
  const headers = [
    `From: ${wordLine(rng, 20)} <user${rng.int(1, 500)}@${domain}>`,
    `To: recipient${rng.int(1, 500)}@receiver.example`,
    // Long subjects are folded, which relaxed header canonicalisation must unfold.
    subject.length > 70 ? `Subject: ${subject.slice(0, 60)}\r\n ${subject.slice(60)}` : `Subject: ${subject}`,
    `Date: ${date.toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: <bench-${index}.${rng.int(1e6, 9e6)}@${domain}>`,
    'MIME-Version: 1.0',
  ];
  // Leave room for the DKIM-Signature field (~300-500 bytes) so totals land near the target.
  const room = Math.max(200, target - headers.join('\r\n').length - 600);
  let body: string;
  if (room > 8192 && rng.next() < 0.6) {
    const boundary = `=_bench_${index}_${rng.int(1e6, 9e6)}`;
    const textSize = Math.min(room / 4, rng.int(500, 4000));
    const attachRaw = Math.floor(((room - textSize - 400) * 3) / 4 / 1.03);
    headers.push(`Content-Type: multipart/mixed; boundary="${boundary}"`);
    body =
      `--${boundary}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${prose(rng, textSize)}` +
      `--${boundary}\r\nContent-Type: application/octet-stream; name="file${index}.bin"\r\n` +
      `Content-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename="file${index}.bin"\r\n\r\n` +
      base64Lines(rng.bytes(Math.max(1, attachRaw))) +
      `--${boundary}--\r\n`;
  } else {
    headers.push('Content-Type: text/plain; charset=utf-8');
    body = prose(rng, room);
    // Extra blank lines at the end: both canonicalisations strip them, a naive verifier would not.
    if (rng.next() < 0.1) body += '\r\n\r\n';
  }
  return Buffer.from(headers.join('\r\n') + '\r\n\r\n' + body, 'utf8');
}

/** Generates (or reuses) `count` signed messages with a key table for the peers. */
export async function dkimCorpus(name: string, params: CorpusParams, log: (s: string) => void): Promise<DkimCorpus> {
  const keys = await benchKeys();
  const table = keyTable(keys.keys);
  const full = { v: GENERATOR_VERSION, keys: keys.dir, ...params };
  const started = Date.now();
  const { dir, summary, reused } = await cached(name, full, async (scratch) => {
    log(`generating ${params.count} signed messages (${params.minBytes}-${params.maxBytes} bytes) in ${scratch}`);
    const rng = new Prng(params.seed);
    const messages: BenchMessage[] = [];
    mkdirSync(join(scratch, 'msgs'));
    writeFileSync(join(scratch, 'keytable.json'), JSON.stringify(table, null, 2));
    for (let i = 0; i < params.count; i++) {
      const algorithm: BenchAlgorithm = rng.next() < 0.5 ? 'rsa-sha256' : 'ed25519-sha256';
      const canonicalization: BenchCanon = rng.next() < 0.5 ? 'relaxed/relaxed' : 'simple/simple';
      const domain = rng.pick(DOMAINS);
      const key = keys.keys.find((k) => k.domain === domain && k.algorithm === algorithm);
      if (!key) throw new Error(`no bench key for ${domain} ${algorithm}`);
      const target = params.minBytes === params.maxBytes ? params.minBytes : rng.logInt(params.minBytes, params.maxBytes);
      const raw = unsignedMessage(rng, i, domain, target);
      const signer = { signingDomain: domain, selector: key.selector, privateKey: key.privateKeyPem };
      // mailauth 4.13 reads the key from signatureData only (its .d.ts declares it top-level too).
      const signed = await dkimSign(raw, {
        ...signer,
        signatureData: [signer],
        algorithm,
        canonicalization,
        signTime: new Date(Date.UTC(2024, 0, 1) + i * 97_000),
      });
      if (signed.errors.length > 0 || !signed.signatures.startsWith('DKIM-Signature:')) {
        throw new Error(`mailauth dkimSign did not sign message ${i}: ${String(signed.errors[0] ?? 'no signature returned')}`);
      }
      const bytes = Buffer.concat([Buffer.from(signed.signatures), raw]);
      const file = join('msgs', `${String(i).padStart(6, '0')}.eml`);
      writeFileSync(join(scratch, file), bytes);
      messages.push({ file, bytes: bytes.length, algorithm, canonicalization, domain, selector: key.selector });
      if ((i + 1) % 5000 === 0) log(`  ${i + 1}/${params.count}`);
    }
    return messages;
  });
  if (reused) log(`reusing ${summary.length} cached messages in ${dir}`);
  else log(`generated in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return { dir, reused, keyTableFile: join(dir, 'keytable.json'), messages: summary };
}
