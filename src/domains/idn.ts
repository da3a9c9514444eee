// Internationalised domain names: the ASCII (punycode) form a DNS name travels in, and the Unicode
// form a reader sees. Encoding is strict, like IDNA2008 registries: a name no registry would accept
// has no encoding (null) rather than a guessed one, so no impossible variant is ever reported.
import { domainToUnicode } from 'node:url';
import punycode from 'punycode/punycode.js';

const ASCII = /^[\p{ASCII}]*$/u;
// Letters, marks and digits only: no symbol, space or punctuation other than '-' can sit in a label.
const LABEL_CHARS = /^[\p{L}\p{M}\p{Nd}-]+$/u;
const RTL = /[\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}]/u;
const FQDN = /^(?=.{4,253}$)((?!-)[a-z0-9-]{1,63}(?<!-)\.)+[a-z0-9-]{2,63}$/i;

/** Whether a Unicode label obeys the IDNA2008 label rules tamis can check without the registry tables. */
function labelOk(label: string): boolean {
  if (label === '' || label.startsWith('-') || label.endsWith('-')) return false;
  if (label.slice(2, 4) === '--') return false; // reserved for xn-- and future prefixes
  if (label !== label.toLowerCase() || label !== label.normalize('NFC')) return false;
  if (!LABEL_CHARS.test(label) || /^\p{M}/u.test(label)) return false;
  // Mixed-direction labels need the RFC 5893 bidi rule; none of tamis's fuzzers makes one, so refuse.
  return !RTL.test(label);
}

/** The ASCII form of a Unicode domain, or null when it is not a name a registry would accept. */
export function toAscii(domain: string): string | null {
  const labels = domain.split('.');
  const out: string[] = [];
  for (const label of labels) {
    if (ASCII.test(label)) {
      if (label.startsWith('xn--')) {
        let u: string;
        try { u = punycode.decode(label.slice(4)); } catch { return null; }
        if (ASCII.test(u) || !labelOk(u)) return null;
      } else if (!labelOk(label)) return null;
      out.push(label);
    } else {
      if (!labelOk(label)) return null;
      const a = 'xn--' + punycode.encode(label);
      if (a.length > 63) return null;
      out.push(a);
    }
  }
  return out.join('.');
}

/** Whether an ASCII domain has the shape of a registrable host name (as dnstwist filters). */
export function isHostname(ascii: string): boolean {
  return FQDN.test(ascii);
}

/** The Unicode form of a domain as a reader sees it; the input unchanged if it does not decode. */
export function toUnicode(domain: string): string {
  const lower = domain.toLowerCase().replace(/\.$/, '');
  if (!lower.includes('xn--')) return lower;
  const u = domainToUnicode(lower);
  return u === '' ? lower : u;
}

/** The canonical ASCII form of a domain seen in mail (lower case, no trailing dot), or null. */
export function normaliseDomain(raw: string): string | null {
  const d = raw.trim().toLowerCase().replace(/\.$/, '');
  if (d === '') return null;
  const a = ASCII.test(d) ? d : toAscii(d.normalize('NFC'));
  return a !== null && isHostname(a) ? a : null;
}
