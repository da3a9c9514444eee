// Trying archived keys against a signature: every record of the selector is tried, the first that
// verifies wins, and each attempt is reported with its source.
import { constants, createHash, publicDecrypt, verify as cryptoVerify, type KeyObject } from 'node:crypto';
import { parseKeyRecord, type KeyRecord } from '../keys/record.js';
import type { DkimKey, KeyResolver } from '../keys/types.js';
import type { HeaderSignatureResult, KeyAttempt } from './types.js';

export interface SignedData {
  keyType: 'rsa' | 'ed25519';
  hash: 'sha256' | 'sha1';
  data: Buffer;
  signature: Buffer;
  /** Extra key constraints (DKIM only: t=s and RFC 4871 g=). */
  identity?: { local: string; domain: string; d: string };
}

export interface KeyOutcome {
  result: HeaderSignatureResult;
  usedKey?: DkimKey;
}

export async function checkWithKeys(resolver: KeyResolver, selector: string, domain: string, signed: SignedData): Promise<KeyOutcome> {
  let keys: DkimKey[];
  try {
    keys = await resolver.resolve(selector, domain);
  } catch (e) {
    return { result: { status: 'unverifiable', cause: 'lookup-failed', reason: `key lookup failed: ${(e as Error).message}`, keysTried: [] } };
  }
  if (keys.length === 0) {
    return { result: { status: 'unverifiable', cause: 'no-key', reason: `no key: ${selector}._domainkey.${domain} is not in the key sources`, keysTried: [] } };
  }
  const tried: KeyAttempt[] = [];
  for (const k of keys) {
    const attempt = tryKey(k, signed);
    tried.push(attempt);
    if (attempt.outcome === 'verified') return { result: { status: 'pass', keysTried: tried, key: attempt }, usedKey: k };
  }
  const mismatches = tried.filter((a) => a.outcome === 'mismatch');
  if (mismatches.length > 0) {
    const n = mismatches.length;
    const withKeys = n === 1 ? 'the key' : `any of ${n} keys`;
    // One key that provably made the signature settles it, whatever the other keys say.
    const signer = mismatches.find((a) => a.cause === 'signed-data-changed');
    if (signer) {
      return { result: { status: 'fail', cause: 'signed-data-changed', reason: `signature does not verify with ${withKeys}; ${signer.source} made it, over other header data`, keysTried: tried, key: signer } };
    }
    if (mismatches.every((a) => a.cause === 'not-signer')) {
      const sources = mismatches.map((a) => a.source).join(', ');
      return { result: { status: 'fail', cause: 'key-mismatch', reason: `signature was not made with the archived key${n === 1 ? '' : 's'} (${sources}): another key signed`, keysTried: tried } };
    }
    return { result: { status: 'fail', cause: 'undetermined', reason: `signature does not verify with ${withKeys} (Ed25519: a changed header and another key look the same)`, keysTried: tried } };
  }
  if (tried.every((a) => a.outcome === 'revoked')) return { result: { status: 'unverifiable', cause: 'unusable-key', reason: 'key revoked (empty p=)', keysTried: tried } };
  const reasons = tried.map((a) => `${a.source}: ${a.reason ?? a.outcome}`).join('; ');
  return { result: { status: 'unverifiable', cause: 'unusable-key', reason: `no usable key: ${reasons}`, keysTried: tried } };
}

function tryKey(k: DkimKey, signed: SignedData): KeyAttempt {
  const rec = parseKeyRecord(k.value);
  const a: KeyAttempt = { source: k.source, outcome: 'unusable' };
  if (k.firstSeenAt) a.firstSeenAt = k.firstSeenAt;
  if (k.lastSeenAt) a.lastSeenAt = k.lastSeenAt;
  a.keyType = rec.rawKeyType;
  if (rec.bits !== undefined) a.bits = rec.bits;
  if (rec.testing) a.testing = true;
  if (rec.revoked) return { ...a, outcome: 'revoked', reason: 'key revoked (empty p=)' };
  if (rec.error || !rec.key) return { ...a, reason: rec.error ?? 'no key' };
  const constraint = constraintViolation(rec, signed);
  if (constraint) return { ...a, reason: constraint };
  let ok = false;
  try {
    ok =
      signed.keyType === 'ed25519'
        ? cryptoVerify(null, createHash('sha256').update(signed.data).digest(), rec.key, signed.signature)
        : cryptoVerify(signed.hash, signed.data, rec.key, signed.signature);
  } catch {
    ok = false; // e.g. a signature of the wrong length for the key
  }
  if (ok) return { ...a, outcome: 'verified' };
  if (signed.keyType === 'ed25519') return { ...a, outcome: 'mismatch', cause: 'undetermined' };
  const recovered = recoverRsaDigest(rec.key, signed.signature);
  if (!recovered) return { ...a, outcome: 'mismatch', cause: 'not-signer' };
  const computed = createHash(recovered.algorithm).update(signed.data).digest('base64');
  // Same digest, same algorithm: the key signed exactly these data, with a DigestInfo OpenSSL does
  // not accept (NULL parameters left out, as some signers did). That is a valid signature, not a change.
  if (recovered.algorithm === signed.hash && computed === recovered.digest.toString('base64')) return { ...a, outcome: 'verified' };
  return { ...a, outcome: 'mismatch', cause: 'signed-data-changed', hashes: { algorithm: recovered.algorithm, recovered: recovered.digest.toString('base64'), computed } };
}

/** DER DigestInfo prefixes (RFC 8017 9.2 note 1), with and without the NULL parameters some signers omit. */
const DIGEST_INFO: { algorithm: 'sha256' | 'sha1'; prefix: Buffer }[] = [
  { algorithm: 'sha256', prefix: Buffer.from('3031300d060960864801650304020105000420', 'hex') },
  { algorithm: 'sha256', prefix: Buffer.from('302f300b0609608648016503040201' + '0420', 'hex') },
  { algorithm: 'sha1', prefix: Buffer.from('3021300906052b0e03021a05000414', 'hex') },
  { algorithm: 'sha1', prefix: Buffer.from('301f300706052b0e03021a' + '0414', 'hex') },
];
const DIGEST_LENGTH = { sha256: 32, sha1: 20 } as const;
const MIN_PADDING = 8;

/**
 * The digest an RSA signature carries, when `key` made it. RSA without padding turns any b= into
 * some number; only the key that signed yields a PKCS#1 v1.5 block (00 01 FF… 00 DigestInfo), the
 * chance of another key doing so being about 2^-(8·(k−3−|DigestInfo|)). So a well-formed block whose
 * digest differs from ours proves the signed data changed; an ill-formed one proves another key signed.
 * Hand-written: node:crypto's verify answers only yes or no, and no library exposes the recovered block.
 */
export function recoverRsaDigest(key: KeyObject, signature: Buffer): { algorithm: 'sha256' | 'sha1'; digest: Buffer } | undefined {
  let block: Buffer;
  try {
    block = publicDecrypt({ key, padding: constants.RSA_NO_PADDING }, signature);
  } catch {
    return undefined; // b= longer than the modulus or numerically above it: not this key's signature
  }
  if (block[0] !== 0x00 || block[1] !== 0x01) return undefined;
  let i = 2;
  while (i < block.length && block[i] === 0xff) i++;
  if (i - 2 < MIN_PADDING || block[i] !== 0x00) return undefined;
  const info = block.subarray(i + 1);
  for (const d of DIGEST_INFO) {
    if (info.length === d.prefix.length + DIGEST_LENGTH[d.algorithm] && info.subarray(0, d.prefix.length).equals(d.prefix)) {
      return { algorithm: d.algorithm, digest: Buffer.from(info.subarray(d.prefix.length)) };
    }
  }
  return undefined;
}

function constraintViolation(rec: KeyRecord, signed: SignedData): string | undefined {
  if (rec.keyType !== signed.keyType) return `key is k=${rec.rawKeyType} but the signature is ${signed.keyType}`;
  if (rec.hashes && !rec.hashes.includes(signed.hash)) return `key h=${rec.hashes.join(':')} does not allow ${signed.hash}`;
  if (rec.services && !rec.services.includes('*') && !rec.services.includes('email')) return `key s=${rec.services.join(':')} is not for email`;
  const id = signed.identity;
  if (id && rec.strict && id.domain.toLowerCase() !== id.d.toLowerCase()) return 'key t=s requires i= to use exactly d=';
  // g= comes from RFC 4871; RFC 6376 dropped it, but a key published with it meant it.
  if (id && rec.granularity !== undefined && !matchGranularity(rec.granularity, id.local)) {
    return `key g=${rec.granularity} does not match the local part of i=`;
  }
  return undefined;
}

function matchGranularity(pattern: string, local: string): boolean {
  if (pattern === '') return false;
  const star = pattern.indexOf('*');
  if (star < 0) return pattern === local;
  const pre = pattern.slice(0, star);
  const post = pattern.slice(star + 1);
  return local.length >= pre.length + post.length && local.startsWith(pre) && local.endsWith(post);
}
