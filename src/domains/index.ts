// Domain names compared the one way tamis compares them: normalised to lower-case A-labels, and
// grouped into organisations by the Public Suffix List (tldts), as DMARC relaxed alignment does.
import { domainToASCII } from 'node:url';
import { getDomain } from 'tldts';

/**
 * Lower-case, no trailing dot, IDN as A-labels (`bücher.de` → `xn--bcher-kva.de`), so a U-label
 * From domain compares equal to the A-label d= a signer must write (RFC 6376 3.5).
 * A name that is not a valid host name is returned lower-cased as written.
 */
export function normaliseDomain(d: string): string {
  const plain = d.trim().replace(/\.$/, '').toLowerCase();
  if (/^[\x21-\x7e]*$/.test(plain) && !plain.includes('xn--')) return plain;
  const ascii = domainToASCII(plain);
  return ascii === '' ? plain : ascii;
}

/**
 * Organisational domain: the registrable domain under the Public Suffix List, private section
 * included. With the private section `alice.blogspot.com` and `bob.blogspot.com` are two
 * organisations (they are: two blog owners), not one; using only the ICANN section would align
 * them, and a tool of proof must not let one tenant's signature vouch for another's mail.
 * A name that is itself a public suffix (`co.uk`), an IP address or a single label is its own
 * organisational domain.
 */
export function organisationalDomain(domain: string): string {
  const d = normaliseDomain(domain);
  return getDomain(d, { allowPrivateDomains: true }) ?? d;
}

/** DMARC relaxed alignment: the same organisational domain. */
export function sameOrganisation(a: string, b: string): boolean {
  return organisationalDomain(a) === organisationalDomain(b);
}

/** `a` equals `b` or is a subdomain of it (case-insensitive, IDN-normalised). */
export function isSameOrSubdomain(a: string, b: string): boolean {
  const x = normaliseDomain(a);
  const y = normaliseDomain(b);
  return x === y || x.endsWith(`.${y}`);
}
