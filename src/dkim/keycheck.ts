// Trying archived keys against a signature: every record of the selector is tried, the first that
// verifies wins, and each attempt is reported with its source.
import { createHash, verify as cryptoVerify } from 'node:crypto';
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
    return { result: { status: 'unverifiable', reason: `key lookup failed: ${(e as Error).message}`, keysTried: [] } };
  }
  if (keys.length === 0) {
    return { result: { status: 'unverifiable', reason: `no key: ${selector}._domainkey.${domain} is not in the key sources`, keysTried: [] } };
  }
  const tried: KeyAttempt[] = [];
  for (const k of keys) {
    const attempt = tryKey(k, signed);
    tried.push(attempt);
    if (attempt.outcome === 'verified') return { result: { status: 'pass', keysTried: tried, key: attempt }, usedKey: k };
  }
  if (tried.some((a) => a.outcome === 'mismatch')) {
    const n = tried.filter((a) => a.outcome === 'mismatch').length;
    return { result: { status: 'fail', reason: `signature does not verify with ${n === 1 ? 'the key' : `any of ${n} keys`}`, keysTried: tried } };
  }
  if (tried.every((a) => a.outcome === 'revoked')) return { result: { status: 'unverifiable', reason: 'key revoked (empty p=)', keysTried: tried } };
  const reasons = [...new Set(tried.map((a) => a.reason ?? a.outcome))].join('; ');
  return { result: { status: 'unverifiable', reason: `no usable key: ${reasons}`, keysTried: tried } };
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
  return { ...a, outcome: ok ? 'verified' : 'mismatch' };
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
