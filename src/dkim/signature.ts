// Parsing of DKIM-Signature and ARC-Message-Signature values into what verification needs.
// Problems never throw: they become parse errors (unusable) or rule violations (usable but wrong).
import type { Canon } from './canon.js';
import { isSameOrSubdomain } from '../domains/index.js';
import { parseTagList, stripAllWsp, trimFws } from './tags.js';
import type { DkimAlgorithm } from './types.js';

export type SignatureProfile = 'dkim' | 'ams';

export interface ParsedSignature {
  tags: Map<string, string>;
  parseErrors: string[];
  ruleViolations: string[];
  algorithm?: DkimAlgorithm;
  keyType?: 'rsa' | 'ed25519';
  hash?: 'sha256' | 'sha1';
  headerCanon?: Canon;
  bodyCanon?: Canon;
  d?: string;
  s?: string;
  /** Agent identity (DKIM i=, decoded) or ARC instance (AMS i=). */
  i?: string;
  instance?: number;
  signedHeaders: string[];
  bodyLength?: number;
  t?: number;
  x?: number;
  bh?: string;
  b?: Buffer;
}

const ALGORITHMS: Record<string, { keyType: 'rsa' | 'ed25519'; hash: 'sha256' | 'sha1' }> = {
  'rsa-sha256': { keyType: 'rsa', hash: 'sha256' },
  'rsa-sha1': { keyType: 'rsa', hash: 'sha1' },
  'ed25519-sha256': { keyType: 'ed25519', hash: 'sha256' },
};

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
// Letters, digits, hyphen and underscore per label (underscore: seen in real selectors and d=).
const DOMAIN = /^[A-Za-z0-9_](?:[A-Za-z0-9_-]*[A-Za-z0-9_])?(?:\.[A-Za-z0-9_](?:[A-Za-z0-9_-]*[A-Za-z0-9_])?)*\.?$/;

export function parseSignature(value: string, profile: SignatureProfile): ParsedSignature {
  const { tags, errors } = parseTagList(value);
  const sig: ParsedSignature = { tags, parseErrors: [...errors], ruleViolations: [], signedHeaders: [] };
  const err = (m: string): void => void sig.parseErrors.push(m);
  const required = profile === 'dkim' ? ['v', 'a', 'b', 'bh', 'd', 'h', 's'] : ['i', 'a', 'b', 'bh', 'd', 'h', 's'];
  for (const t of required) if (!tags.has(t)) err(`missing required tag ${t}=`);

  const v = tags.get('v');
  if (profile === 'dkim' && v !== undefined && v !== '1') err(`unsupported version v=${v}`);

  const a = tags.get('a');
  if (a !== undefined) {
    const alg = ALGORITHMS[a.toLowerCase()];
    if (alg) {
      sig.algorithm = a.toLowerCase() as DkimAlgorithm;
      sig.keyType = alg.keyType;
      sig.hash = alg.hash;
    } else err(`unsupported algorithm a=${a}`);
  }

  const c = tags.get('c') ?? 'simple/simple';
  const [hc, bc = 'simple', extra] = c.toLowerCase().split('/').map((x) => x.trim());
  if (extra !== undefined || !isCanon(hc) || !isCanon(bc)) err(`unsupported canonicalization c=${c}`);
  else {
    sig.headerCanon = hc;
    sig.bodyCanon = bc;
  }

  const d = tags.get('d');
  if (d !== undefined) {
    if (d === '' || !DOMAIN.test(d)) err(`invalid signing domain d=${d}`);
    else sig.d = d.replace(/\.$/, '');
  }
  const s = tags.get('s');
  if (s !== undefined) {
    if (s === '' || !DOMAIN.test(s)) err(`invalid selector s=${s}`);
    else sig.s = s;
  }

  const h = tags.get('h');
  if (h !== undefined) {
    sig.signedHeaders = h.split(':').map((x) => trimFws(x).toLowerCase()).filter((x) => x !== '');
    // ARC peers accept an AMS that signs only itself (ValiMail suite: ams_fields_h_empty).
    if (sig.signedHeaders.length === 0 && profile === 'dkim') err('h= lists no header fields');
    // RFC 8617 4.1.2: an AMS must not sign ARC-Seal fields (they change at every hop).
    if (profile === 'ams' && sig.signedHeaders.includes('arc-seal')) err('h= includes ARC-Seal, which an AMS must not sign');
  }

  for (const [tag, key] of [['bh', 'bh'], ['b', 'b']] as const) {
    const raw = tags.get(tag);
    if (raw === undefined) continue;
    const clean = stripAllWsp(raw);
    if (!BASE64.test(clean) || clean === '') {
      err(`${tag}= is not base64`);
      continue;
    }
    if (key === 'bh') sig.bh = clean;
    else sig.b = Buffer.from(clean, 'base64');
  }

  const l = tags.get('l');
  if (l !== undefined) {
    if (!/^\d{1,76}$/.test(l)) err(`invalid body length l=${l}`);
    else sig.bodyLength = Number(l);
  }
  const q = tags.get('q');
  if (q !== undefined && !q.split(':').some((m) => trimFws(m).toLowerCase() === 'dns/txt')) {
    err(`unsupported query method q=${q}`);
  }
  for (const tag of ['t', 'x'] as const) {
    const raw = tags.get(tag);
    if (raw === undefined) continue;
    if (!/^\d{1,12}$/.test(raw)) err(`invalid ${tag}=${raw}`);
    else sig[tag] = Number(raw);
  }
  if (sig.t !== undefined && sig.x !== undefined && sig.x < sig.t) sig.ruleViolations.push('x= (expiry) is before t= (signing time)');

  const i = tags.get('i');
  if (profile === 'ams') {
    if (i !== undefined) {
      if (!/^\d{1,2}$/.test(i) || Number(i) < 1 || Number(i) > 50) err(`invalid ARC instance i=${i}`);
      else sig.instance = Number(i);
    }
  } else {
    if (i !== undefined) {
      sig.i = decodeDkimQp(i);
      const at = sig.i.lastIndexOf('@');
      if (at < 0) err(`invalid identity i=${i} (no @)`);
      else if (sig.d && !isSameOrSubdomain(sig.i.slice(at + 1), sig.d)) {
        sig.ruleViolations.push(`i=${sig.i} is not in d=${sig.d} or a subdomain (RFC 6376 6.1.1)`);
      }
    } else if (sig.d) sig.i = `@${sig.d}`;
    if (h !== undefined && !sig.signedHeaders.includes('from')) {
      sig.ruleViolations.push('From is not in h= (RFC 6376 6.1.1): the author address is not signed');
    }
  }
  return sig;
}

function isCanon(x: string | undefined): x is Canon {
  return x === 'simple' || x === 'relaxed';
}

/** dkim-quoted-printable (RFC 6376 2.11): =XX escapes, whitespace ignored. */
function decodeDkimQp(s: string): string {
  return stripAllWsp(s).replace(/=([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}
