// ARC chain validation (RFC 8617 5.2). Every set is reported, and every AMS is checked (not just
// the newest) so the report can say which hop last saw the message in its current form.
import { canonHeaderText, withoutSignatureValue } from './canon.js';
import { checkWithKeys } from './keycheck.js';
import type { HeaderField } from './message.js';
import { parseTagList, stripAllWsp } from './tags.js';
import type { ArcAuthResults, ArcResult, ArcSealResult, ArcSetResult, HeaderSignatureResult } from './types.js';
import { verifySignatureField, type VerifyContext } from './verify.js';

const MAX_INSTANCES = 50;
const MIN_SEAL_RSA_BITS = 1024;
const SEAL_ALGORITHMS: Record<string, { keyType: 'rsa' | 'ed25519'; hash: 'sha256' | 'sha1' }> = {
  'rsa-sha256': { keyType: 'rsa', hash: 'sha256' },
  // Accepted like DKIM rsa-sha1 (ARC drafts allowed it; the ValiMail suite expects a pass).
  'rsa-sha1': { keyType: 'rsa', hash: 'sha1' },
  'ed25519-sha256': { keyType: 'ed25519', hash: 'sha256' },
};

interface RawSet {
  seals: HeaderField[];
  ams: HeaderField[];
  aar: HeaderField[];
}

export async function verifyArc(ctx: VerifyContext): Promise<ArcResult> {
  const arcFields = ctx.headers.filter((h) => h.lname === 'arc-seal' || h.lname === 'arc-message-signature' || h.lname === 'arc-authentication-results');
  const empty: ArcResult = { chain: 'none', unknown: false, instances: 0, sets: [], ams1Pass: null, sealers: [] };
  if (arcFields.length === 0) return empty;

  const sets = new Map<number, RawSet>();
  const badInstance: string[] = [];
  for (const f of arcFields) {
    const inst = instanceOf(f);
    if (inst === undefined) {
      badInstance.push(`${f.name} on line ${f.line} has no valid i= instance`);
      continue;
    }
    const set = sets.get(inst) ?? { seals: [], ams: [], aar: [] };
    if (f.lname === 'arc-seal') set.seals.push(f);
    else if (f.lname === 'arc-message-signature') set.ams.push(f);
    else set.aar.push(f);
    sets.set(inst, set);
  }
  const n = Math.max(0, ...sets.keys());
  const results: ArcSetResult[] = [];
  for (let i = 1; i <= n; i++) {
    const raw = sets.get(i);
    const r: ArcSetResult = { instance: i, amsValid: false, sealValid: false };
    const ams = raw?.ams[0];
    if (ams) {
      r.messageSignature = await verifySignatureField(ams, i, ctx, 'ams');
      r.amsValid = r.messageSignature.cryptoValid && r.messageSignature.parseErrors.length === 0;
    }
    const aar = raw?.aar[0];
    if (aar) r.authResults = parseAar(aar, i);
    results.push(r);
  }
  // Seals are verified over the sets below them, so they need all sets collected first.
  for (const r of results) {
    const seal = sets.get(r.instance)?.seals[0];
    if (seal) {
      r.seal = await verifySeal(seal, r.instance, sets, ctx);
      r.sealValid = r.seal.signature.status === 'pass' && r.seal.parseErrors.length === 0;
    }
  }
  const oldest = results.find((r) => r.amsValid);
  const res: ArcResult = {
    chain: 'pass',
    unknown: false,
    instances: n,
    sets: results,
    ams1Pass: results[0]?.amsValid ?? false,
    sealers: results.map((r) => r.seal?.d ?? ''),
  };
  if (oldest) res.oldestPass = oldest.instance;
  const problem = chainProblem(n, sets, results, badInstance);
  if (problem) {
    res.chain = 'fail';
    res.unknown = problem.unknown === true;
    res.reason = problem.reason;
  }
  return res;
}

/**
 * The signature could not be checked for want of its key (none archived, none usable, or the
 * archived one provably not the signer's): unknown, not failed. Providers (Gmail, Microsoft) seal
 * nearly every message with keys no archive holds; only a seal that fails with its key is evidence.
 */
function keyMissing(hs: HeaderSignatureResult): boolean {
  return hs.cause === 'no-key' || hs.cause === 'unusable-key' || hs.cause === 'lookup-failed' || hs.cause === 'key-mismatch';
}

/**
 * The first reason the chain fails, in RFC 8617 5.2 order; undefined when it passes. A signature
 * without its key does not stop the walk: the chain is `unknown` only if nothing else fails.
 */
function chainProblem(n: number, sets: Map<number, RawSet>, results: ArcSetResult[], badInstance: string[]): { reason: string; unknown?: true } | undefined {
  const structural = structureProblem(n, sets, results, badInstance);
  if (structural) return { reason: structural };
  let unknown: string | undefined;
  const newest = results[n - 1];
  if (newest && !newest.amsValid) {
    const ms = newest.messageSignature;
    const why = ms?.parseErrors[0] ?? ms?.bodyHash.reason ?? ms?.headerSignature.reason ?? 'invalid';
    if (ms && ms.parseErrors.length === 0 && keyMissing(ms.headerSignature)) unknown = `newest ARC-Message-Signature (i=${n}) cannot be checked: ${ms.headerSignature.reason ?? 'no key'}`;
    else return { reason: `newest ARC-Message-Signature (i=${n}) does not verify: ${why}` };
  }
  for (let j = results.length - 1; j >= 0; j--) {
    const r = results[j] as ArcSetResult;
    if (!r.sealValid) {
      if (r.seal && keyMissing(r.seal.signature)) {
        unknown ??= `ARC-Seal i=${r.instance} (d=${r.seal.d ?? '?'} s=${r.seal.s ?? '?'}) cannot be checked: ${r.seal.signature.reason ?? 'no key'}`;
        continue;
      }
      return { reason: `ARC-Seal i=${r.instance} does not verify: ${r.seal?.signature.reason ?? 'invalid'}` };
    }
    // A chain vouches for intermediaries; a factorable seal key vouches for nothing (RFC 8301).
    const bits = r.seal?.signature.key?.bits;
    if (r.seal?.signature.key?.keyType === 'rsa' && bits !== undefined && bits < MIN_SEAL_RSA_BITS) {
      return { reason: `ARC-Seal i=${r.instance} uses a ${bits}-bit RSA key (under ${MIN_SEAL_RSA_BITS}: forgeable)` };
    }
  }
  return unknown === undefined ? undefined : { reason: unknown, unknown: true };
}

/** Instance numbering, set completeness and cv= values: problems no key can change. */
function structureProblem(n: number, sets: Map<number, RawSet>, results: ArcSetResult[], badInstance: string[]): string | undefined {
  if (badInstance.length > 0) return badInstance[0];
  if (n > MAX_INSTANCES) return `more than ${MAX_INSTANCES} ARC sets`;
  for (let i = 1; i <= n; i++) {
    const s = sets.get(i);
    for (const [label, list] of [['ARC-Seal', s?.seals], ['ARC-Message-Signature', s?.ams], ['ARC-Authentication-Results', s?.aar]] as const) {
      const count = list?.length ?? 0;
      if (count !== 1) return `instance ${i} has ${count} ${label} fields (exactly one required)`;
    }
  }
  for (const r of results) {
    const cv = r.seal?.cv;
    if (r.seal && r.seal.parseErrors.length > 0) return `ARC-Seal i=${r.instance} is malformed: ${r.seal.parseErrors.join('; ')}`;
    if (r.instance === 1 && cv !== 'none') return `ARC-Seal i=1 must have cv=none, has cv=${cv ?? '(missing)'}`;
    if (r.instance > 1 && cv !== 'pass') return `ARC-Seal i=${r.instance} has cv=${cv ?? '(missing)'}: an earlier hop saw a broken chain`;
  }
  return undefined;
}

function instanceOf(f: HeaderField): number | undefined {
  let raw: string | undefined;
  if (f.lname === 'arc-authentication-results') {
    const m = /^[ \t\r\n]*i[ \t\r\n]*=[ \t\r\n]*([^;]*);/.exec(f.value);
    raw = m?.[1]?.trim();
  } else raw = parseTagList(f.value).tags.get('i');
  if (raw === undefined || !/^\d{1,2}$/.test(raw)) return undefined;
  const n = Number(raw);
  return n >= 1 && n <= MAX_INSTANCES ? n : undefined;
}

async function verifySeal(field: HeaderField, instance: number, sets: Map<number, RawSet>, ctx: VerifyContext): Promise<ArcSealResult> {
  const { tags, errors } = parseTagList(field.value);
  const res: ArcSealResult = {
    instance,
    header: field.value,
    tags: Object.fromEntries(tags),
    parseErrors: [...errors],
    signature: { status: 'unverifiable', reason: 'seal is malformed', keysTried: [] },
  };
  for (const t of ['i', 'cv', 'a', 'b', 'd', 's']) if (!tags.has(t)) res.parseErrors.push(`missing required tag ${t}=`);
  // RFC 8617 4.1.3: h= is not allowed in ARC-Seal.
  if (tags.has('h')) res.parseErrors.push('h= is not allowed in ARC-Seal');
  const cv = tags.get('cv');
  if (cv !== undefined) {
    res.cv = cv.toLowerCase();
    if (!['none', 'pass', 'fail'].includes(res.cv)) res.parseErrors.push(`invalid cv=${cv}`);
  }
  const d = tags.get('d');
  const s = tags.get('s');
  if (d) res.d = d;
  if (s) res.s = s;
  const a = tags.get('a')?.toLowerCase();
  if (a) res.algorithm = a;
  const alg = a ? SEAL_ALGORITHMS[a] : undefined;
  if (a && !alg) res.parseErrors.push(`unsupported algorithm a=${a}`);
  const b = stripAllWsp(tags.get('b') ?? '');
  if (!alg || !d || !s || b === '' || !/^[A-Za-z0-9+/]*={0,2}$/.test(b)) return res;
  // The seal signs every set up to its own, in instance order: AAR, AMS, AS (relaxed, RFC 8617 5.1.1).
  let text = '';
  for (let i = 1; i <= instance; i++) {
    const set = sets.get(i);
    const aar = set?.aar[0];
    const ams = set?.ams[0];
    const seal = set?.seals[0];
    if (!aar || !ams || !seal) {
      res.signature = { status: 'unverifiable', reason: `set ${i} is incomplete`, keysTried: [] };
      return res;
    }
    text += canonHeaderText(aar.raw, 'relaxed') + '\r\n' + canonHeaderText(ams.raw, 'relaxed') + '\r\n';
    text += i === instance ? canonHeaderText(withoutSignatureValue(seal.raw), 'relaxed') : canonHeaderText(seal.raw, 'relaxed') + '\r\n';
  }
  const { result, usedKey } = await checkWithKeys(ctx.keys, s, d, { ...alg, data: Buffer.from(text, 'latin1'), signature: Buffer.from(b, 'base64') });
  res.signature = result;
  if (usedKey && !ctx.keysUsed.includes(usedKey)) ctx.keysUsed.push(usedKey);
  return res;
}

/** `i=1; mx.example.org; dkim=pass header.d=example.org; spf=pass ...` → the DKIM results. */
function parseAar(f: HeaderField, instance: number): ArcAuthResults {
  const value = f.value.replace(/\r\n/g, '');
  const segments = value.split(';').slice(1);
  const res: ArcAuthResults = { instance, header: f.value, dkim: [] };
  const id = segments[0]?.trim();
  if (id) res.authservId = id;
  for (const seg of segments.slice(1)) {
    const m = /^\s*dkim\s*=\s*([A-Za-z]+)/i.exec(seg);
    if (!m?.[1]) continue;
    const dm = /header\.d\s*=\s*([^\s;()]+)/i.exec(seg);
    res.dkim.push({ result: m[1].toLowerCase(), ...(dm?.[1] ? { domain: dm[1].toLowerCase() } : {}) });
  }
  return res;
}

