// Address helpers for the verifier; domain comparison lives in src/domains (Public Suffix List).

export { isSameOrSubdomain, normaliseDomain, organisationalDomain, sameOrganisation } from '../domains/index.js';
import { normaliseDomain } from '../domains/index.js';

/**
 * The address of a From: value (latin1 text). Takes the last `<...>` if any, else the bare
 * addr-spec; comments and quoted display names are skipped. Good enough for alignment; full
 * RFC 5322 parsing belongs to the MIME layer.
 */
export function extractAddress(value: string): string | undefined {
  const unfolded = value.replace(/\r\n/g, '');
  const noQuotes = unfolded.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  const noComments = stripComments(noQuotes);
  const angle = /<([^<>]*)>/.exec(noComments);
  const cand = (angle ? angle[1] : noComments.split(',')[0]) ?? '';
  const addr = cand.trim().replace(/^[^:]*:(?=[^@]*@)/, ''); // route / group syntax
  return addr.includes('@') ? addr : undefined;
}

/** Removes RFC 5322 comments `( … )`, nested ones included. */
export function stripComments(s: string): string {
  let out = '';
  let depth = 0;
  for (const ch of s) {
    if (ch === '(') depth++;
    else if (ch === ')' && depth > 0) depth--;
    else if (depth === 0) out += ch;
  }
  return out;
}

export function domainOf(address: string): string | undefined {
  const at = address.lastIndexOf('@');
  if (at < 0) return undefined;
  const d = normaliseDomain(address.slice(at + 1).replace(/[>\s]+$/, ''));
  return d || undefined;
}
