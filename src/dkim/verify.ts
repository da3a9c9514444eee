// Verifies one DKIM-Signature (or ARC-Message-Signature): body hash and header signature are
// separate facts, both always computed when the signature allows it.
import { createHash } from 'node:crypto';
import type { DkimKey, KeyResolver } from '../keys/types.js';
import { canonBodyParts, canonHeader, canonHeaderText, withoutSignatureValue, type Canon } from './canon.js';
import { normaliseDomain, organisationalDomain } from '../domains/index.js';
import { checkWithKeys } from './keycheck.js';
import type { HeaderField } from './message.js';
import { parseSignature, type ParsedSignature, type SignatureProfile } from './signature.js';
import type { AlignmentResult, BodyHashResult, CoverageResult, DkimSignatureResult, HeaderSignatureResult, SignatureResult, TimeResult } from './types.js';

/** Shared per-message state: parsed headers, canonical bodies computed once, keys used. */
export interface VerifyContext {
  headers: HeaderField[];
  body: Buffer;
  keys: KeyResolver;
  fromDomain?: string;
  dateMs?: number;
  /** Canonical body slices per canonicalisation (see canonBodyParts). */
  bodyCache: Map<Canon, CanonicalBody>;
  /** Body hash results per canonicalisation, hash and l=, shared by signatures that agree on them. */
  bodyHashCache: Map<string, BodyHashResult>;
  keysUsed: DkimKey[];
}

interface CanonicalBody {
  parts: Buffer[];
  length: number;
}

const PREVIEW_BYTES = 200;
const DAY = 86_400;
const CLOCK_SKEW = 900;

export async function verifySignatureField(field: HeaderField, index: number, ctx: VerifyContext, profile: SignatureProfile): Promise<DkimSignatureResult> {
  const sig = parseSignature(field.value, profile);
  const bodyHash = computeBodyHash(sig, ctx);
  const headerSignature = await checkHeaderSignature(field, sig, ctx, profile);
  const coverage = coverageOf(field, sig, ctx.headers);
  const time = timeOf(sig, ctx.dateMs);
  if (time.expiredAtMessageDate) sig.ruleViolations.push('signature had expired (x=) at the message Date:');
  const cryptoValid = bodyHash.status === 'pass' && headerSignature.status === 'pass';
  const res: DkimSignatureResult = {
    index,
    line: field.line,
    header: field.value,
    tags: Object.fromEntries(sig.tags),
    parseErrors: sig.parseErrors,
    ruleViolations: sig.ruleViolations,
    result: overall(sig, bodyHash, headerSignature),
    cryptoValid,
    signedHeaders: sig.signedHeaders,
    bodyHash,
    headerSignature,
    coverage,
    alignment: profile === 'dkim' ? alignmentOf(sig.d, ctx.fromDomain) : { alignment: 'unknown' },
    time,
    weaknesses: weaknessesOf(sig, bodyHash, headerSignature),
  };
  if (sig.d) res.d = sig.d;
  if (sig.s) res.s = sig.s;
  if (sig.i) res.i = sig.i;
  if (sig.algorithm) res.algorithm = sig.algorithm;
  else if (sig.tags.has('a')) res.algorithm = sig.tags.get('a');
  if (sig.headerCanon && sig.bodyCanon) res.canonicalization = { header: sig.headerCanon, body: sig.bodyCanon };
  return res;
}

/** RFC 6376 6.1 order: signature checks, then key retrieval, then crypto. Crypto facts stay separate. */
function overall(sig: ParsedSignature, bh: BodyHashResult, hs: HeaderSignatureResult): SignatureResult {
  if (sig.parseErrors.length > 0 || sig.ruleViolations.length > 0) return 'permerror';
  if (hs.status === 'unverifiable') {
    const noKey = hs.keysTried.length === 0 && !/lookup failed/.test(hs.reason ?? '');
    return noKey ? 'nokey' : 'permerror';
  }
  if (bh.status === 'fail' || hs.status === 'fail') return 'fail';
  return bh.status === 'pass' && hs.status === 'pass' ? 'pass' : 'permerror';
}

function computeBodyHash(sig: ParsedSignature, ctx: VerifyContext): BodyHashResult {
  if (!sig.hash || !sig.bodyCanon || sig.bh === undefined) {
    return { status: 'not-checked', reason: 'signature lacks a usable a=, c= or bh=', unsignedLength: 0 };
  }
  const key = `${sig.bodyCanon}/${sig.hash}/${sig.bodyLength ?? ''}/${sig.bh}`;
  const known = ctx.bodyHashCache.get(key);
  // A copy, so a caller editing one signature's result cannot change another's.
  if (known) return { ...known };
  let canon = ctx.bodyCache.get(sig.bodyCanon);
  if (!canon) {
    const parts = canonBodyParts(ctx.body, sig.bodyCanon);
    canon = { parts, length: parts.reduce((n, p) => n + p.length, 0) };
    ctx.bodyCache.set(sig.bodyCanon, canon);
  }
  const res: BodyHashResult = { status: 'fail', expected: sig.bh, canonicalLength: canon.length, unsignedLength: 0 };
  let signedLength = canon.length;
  if (sig.bodyLength !== undefined) {
    res.signedLength = sig.bodyLength;
    if (sig.bodyLength > canon.length) {
      res.reason = `body is shorter (${canon.length} bytes) than l=${sig.bodyLength}`;
    } else {
      signedLength = sig.bodyLength;
      res.unsignedLength = canon.length - sig.bodyLength;
      if (res.unsignedLength > 0) res.unsignedPreview = sliceParts(canon.parts, sig.bodyLength, sig.bodyLength + PREVIEW_BYTES).toString('utf8');
    }
  }
  const hash = createHash(sig.hash);
  let left = signedLength;
  for (const p of canon.parts) {
    if (left <= 0) break;
    hash.update(p.length <= left ? p : p.subarray(0, left));
    left -= p.length;
  }
  res.computed = hash.digest('base64');
  if (res.reason === undefined) {
    if (res.computed === sig.bh) res.status = 'pass';
    else res.reason = 'body hash does not match bh=: the body changed after signing';
  }
  ctx.bodyHashCache.set(key, res);
  return { ...res };
}

/** Bytes [from, to) of the concatenation of `parts`, without building the whole of it. */
function sliceParts(parts: Buffer[], from: number, to: number): Buffer {
  const out: Buffer[] = [];
  let at = 0;
  for (const p of parts) {
    const a = Math.max(from - at, 0);
    const b = Math.min(to - at, p.length);
    if (a < b) out.push(p.subarray(a, b));
    at += p.length;
    if (at >= to) break;
  }
  return Buffer.concat(out);
}

/** Header fields picked by h=, bottom-up per name (RFC 6376 5.4.2); the signature itself excluded. */
function selectHeaders(self: HeaderField, names: string[], headers: HeaderField[]): HeaderField[] {
  const used = new Map<string, number>();
  const picked: HeaderField[] = [];
  for (const name of names) {
    const skip = used.get(name) ?? 0;
    let seen = 0;
    for (let j = headers.length - 1; j >= 0; j--) {
      const h = headers[j] as HeaderField;
      if (h === self || h.lname !== name) continue;
      if (seen++ === skip) {
        picked.push(h);
        break;
      }
    }
    used.set(name, skip + 1);
  }
  return picked;
}

async function checkHeaderSignature(field: HeaderField, sig: ParsedSignature, ctx: VerifyContext, profile: SignatureProfile): Promise<HeaderSignatureResult> {
  if (!sig.keyType || !sig.hash || !sig.headerCanon || !sig.d || !sig.s || !sig.b || !sig.tags.has('h')) {
    return { status: 'unverifiable', reason: 'signature is malformed (needs a=, c=, d=, s=, h=, b=)', keysTried: [] };
  }
  const canon = sig.headerCanon;
  let text = '';
  for (const h of selectHeaders(field, sig.signedHeaders, ctx.headers)) text += canonHeader(h, canon);
  text += canonHeaderText(withoutSignatureValue(field.raw), canon);
  const at = sig.i?.lastIndexOf('@') ?? -1;
  const identity = profile === 'dkim' && sig.i && at >= 0 ? { local: sig.i.slice(0, at), domain: sig.i.slice(at + 1), d: sig.d } : undefined;
  const { result, usedKey } = await checkWithKeys(ctx.keys, sig.s, sig.d, {
    keyType: sig.keyType,
    hash: sig.hash,
    data: Buffer.from(text, 'latin1'),
    signature: sig.b,
    ...(identity ? { identity } : {}),
  });
  if (usedKey && !ctx.keysUsed.includes(usedKey)) ctx.keysUsed.push(usedKey);
  return result;
}

function coverageOf(self: HeaderField, sig: ParsedSignature, headers: HeaderField[]): CoverageResult {
  const listed = new Map<string, number>();
  for (const n of sig.signedHeaders) listed.set(n, (listed.get(n) ?? 0) + 1);
  const cov: CoverageResult = { fromSigned: sig.signedHeaders.includes('from'), unsignedInstances: [], oversigned: [], strayLines: [] };
  for (const [name, count] of listed) {
    const present = headers.filter((h) => h !== self && h.lname === name);
    if (present.length > count) {
      cov.unsignedInstances.push({
        name,
        present: present.length,
        signed: count,
        unsigned: present.slice(0, present.length - count).map((h) => ({ line: h.line, value: h.value.trim().slice(0, 200) })),
      });
    } else if (present.length < count) cov.oversigned.push(name);
  }
  // A line without ':' is not a field; some readers show it as part of the field above it.
  for (let j = 0; j < headers.length; j++) {
    const h = headers[j] as HeaderField;
    if (h.wellFormed) continue;
    const prev = headers[j - 1];
    cov.strayLines.push({ line: h.line, text: Buffer.from(h.raw.slice(0, 200), 'latin1').toString('utf8'), ...(prev?.name ? { after: prev.name } : {}) });
  }
  return cov;
}

function alignmentOf(d: string | undefined, fromDomain: string | undefined): AlignmentResult {
  if (!d || !fromDomain) return { alignment: 'unknown', ...(fromDomain ? { fromDomain } : {}) };
  const sd = normaliseDomain(d);
  const res: AlignmentResult = { fromDomain, signingOrgDomain: organisationalDomain(sd), fromOrgDomain: organisationalDomain(fromDomain), alignment: 'none' };
  if (sd === fromDomain) res.alignment = 'strict';
  else if (res.signingOrgDomain === res.fromOrgDomain) res.alignment = 'relaxed';
  return res;
}

function timeOf(sig: ParsedSignature, dateMs: number | undefined): TimeResult {
  const t: TimeResult = {};
  const iso = (sec: number): string | undefined => {
    const d = new Date(sec * 1000);
    return Number.isFinite(d.getTime()) ? d.toISOString() : undefined;
  };
  if (sig.t !== undefined) {
    const s = iso(sig.t);
    if (s) t.signedAt = s;
  }
  if (sig.x !== undefined) {
    const s = iso(sig.x);
    if (s) t.expiresAt = s;
  }
  if (dateMs !== undefined) {
    t.messageDate = new Date(dateMs).toISOString();
    if (sig.x !== undefined) t.expiredAtMessageDate = sig.x * 1000 < dateMs;
    if (sig.t !== undefined) {
      t.skewSeconds = Math.round(sig.t - dateMs / 1000);
      t.farFromDate = Math.abs(t.skewSeconds) > DAY;
      t.signedAfterDate = t.skewSeconds > CLOCK_SKEW;
    }
  }
  return t;
}

function weaknessesOf(sig: ParsedSignature, bh: BodyHashResult, hs: HeaderSignatureResult): string[] {
  const w: string[] = [];
  if (sig.algorithm === 'rsa-sha1') w.push('rsa-sha1');
  const key = hs.key;
  if (key && key.keyType === 'rsa' && key.bits !== undefined && key.bits < 1024) w.push(`rsa-key-${key.bits}-bits`);
  if (key?.testing) w.push('key-testing');
  if (bh.unsignedLength > 0) w.push('partial-body');
  return w;
}
