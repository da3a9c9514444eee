// DKIM public key records (RFC 6376 3.6.1, RFC 8463): parsed once per distinct value, KeyObject cached.
import { createPublicKey, type KeyObject } from 'node:crypto';
import { parseTagList, stripAllWsp } from '../dkim/tags.js';

export type KeyType = 'rsa' | 'ed25519';

export interface KeyRecord {
  /** k= (default rsa); any other value is kept as found in `rawKeyType`. */
  keyType?: KeyType;
  rawKeyType: string;
  /** Empty p=: the domain revoked this key. */
  revoked: boolean;
  /** t=y: the domain was testing DKIM. */
  testing: boolean;
  /** t=s: i= must use exactly d= (no subdomain). */
  strict: boolean;
  /** h=: hash algorithms the key may be used with; undefined = any. */
  hashes?: string[];
  /** s=: service types; undefined = any ("*"). */
  services?: string[];
  /** g= (RFC 4871 granularity, dropped by RFC 6376): local-part pattern i= must match. */
  granularity?: string;
  /** Modulus size for RSA, 256 for Ed25519. */
  bits?: number;
  /** Set when the key is usable for verification. */
  key?: KeyObject;
  /** Why the record cannot be used (syntax, unsupported version, undecodable key). */
  error?: string;
}

const cache = new Map<string, KeyRecord>();
const MIN_RSA_BITS = 512;
const CACHE_LIMIT = 10_000;

/** Ed25519 SubjectPublicKeyInfo prefix: RFC 8463 publishes only the raw 32-byte key. */
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

export function parseKeyRecord(value: string): KeyRecord {
  const hit = cache.get(value);
  if (hit) return hit;
  const rec = parseUncached(value);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(value, rec);
  return rec;
}

function parseUncached(value: string): KeyRecord {
  const { tags, errors } = parseTagList(value);
  const rawKeyType = (tags.get('k') ?? 'rsa').toLowerCase();
  const t = (tags.get('t') ?? '').split(':').map((f) => f.trim().toLowerCase());
  const rec: KeyRecord = {
    rawKeyType,
    revoked: false,
    testing: t.includes('y'),
    strict: t.includes('s'),
  };
  if (rawKeyType === 'rsa' || rawKeyType === 'ed25519') rec.keyType = rawKeyType;
  const h = tags.get('h');
  if (h !== undefined) rec.hashes = h.split(':').map((x) => x.trim().toLowerCase());
  const s = tags.get('s');
  if (s !== undefined) rec.services = s.split(':').map((x) => x.trim().toLowerCase());
  const g = tags.get('g');
  if (g !== undefined) rec.granularity = g;
  if (errors.length > 0) return { ...rec, error: `key record syntax: ${errors.join('; ')}` };
  const v = tags.get('v');
  // RFC 6376 3.6.1: v= is optional but, when present, must be DKIM1 and the first tag.
  if (v !== undefined && (v !== 'DKIM1' || [...tags.keys()][0] !== 'v')) {
    return { ...rec, error: `unsupported key record version v=${v}` };
  }
  const p = tags.get('p');
  if (p === undefined) return { ...rec, error: 'key record has no p= tag' };
  const b64 = stripAllWsp(p);
  if (b64 === '') return { ...rec, revoked: true };
  if (!rec.keyType) return { ...rec, error: `unsupported key type k=${rawKeyType}` };
  if (!/^[A-Za-z0-9+/]+=*$/.test(b64)) return { ...rec, error: 'p= is not base64' };
  const der = Buffer.from(b64, 'base64');
  try {
    if (rec.keyType === 'ed25519') {
      if (der.length !== 32) return { ...rec, error: `ed25519 key must be 32 bytes, found ${der.length}` };
      rec.key = createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, der]), format: 'der', type: 'spki' });
      rec.bits = 256;
    } else {
      rec.key = importRsa(der);
      if (rec.key.asymmetricKeyType !== 'rsa') return { ...rec, key: undefined, error: `p= holds a ${rec.key.asymmetricKeyType ?? 'unknown'} key, not RSA` };
      rec.bits = rec.key.asymmetricKeyDetails?.modulusLength;
      // Under 512 bits a modulus cannot even hold a PKCS#1 SHA-256 block; such a record is damaged or a toy.
      if (rec.bits !== undefined && rec.bits < MIN_RSA_BITS) return { ...rec, key: undefined, error: `p= is too short: a ${rec.bits}-bit RSA key (under ${MIN_RSA_BITS} bits no DKIM signature can be checked with it)` };
    }
  } catch (e) {
    return { ...rec, error: `p= does not decode as a public key (${der.length} bytes; a record cut or re-wrapped when saved?): ${(e as Error).message}` };
  }
  return rec;
}

/** RFC 6376 asks for SubjectPublicKeyInfo; some publishers put a bare PKCS#1 RSAPublicKey. */
function importRsa(der: Buffer): KeyObject {
  try {
    return createPublicKey({ key: der, format: 'der', type: 'spki' });
  } catch {
    return createPublicKey({ key: der, format: 'der', type: 'pkcs1' });
  }
}

/** Summary for reports: key algorithm and size, when the record holds a usable key. */
export function keyDetails(value: string): { bits?: number; algorithm?: string } {
  const rec = parseKeyRecord(value);
  const out: { bits?: number; algorithm?: string } = {};
  if (rec.keyType) out.algorithm = rec.keyType;
  if (rec.bits !== undefined) out.bits = rec.bits;
  return out;
}
