// Domain helpers: addresses, organisational domains for relaxed alignment.

/**
 * Multi-label public suffixes we know of. This is a heuristic, not the Public Suffix List:
 * without it `a.co.uk` and `b.co.uk` would look like one organisation. Unknown multi-label
 * suffixes fall back to "last two labels", which may over-align (reported as relaxed only).
 */
const MULTI_LABEL_SUFFIXES = new Set([
  'co.uk', 'org.uk', 'ac.uk', 'gov.uk', 'ltd.uk', 'plc.uk', 'me.uk', 'net.uk', 'sch.uk',
  'com.au', 'net.au', 'org.au', 'edu.au', 'gov.au', 'asn.au', 'id.au',
  'co.nz', 'org.nz', 'net.nz', 'govt.nz', 'ac.nz',
  'co.jp', 'ne.jp', 'or.jp', 'ac.jp', 'go.jp',
  'co.kr', 'or.kr', 'co.in', 'net.in', 'org.in', 'gov.in', 'ac.in',
  'com.br', 'net.br', 'org.br', 'gov.br', 'com.cn', 'net.cn', 'org.cn', 'gov.cn',
  'com.mx', 'org.mx', 'gob.mx', 'com.ar', 'gob.ar', 'com.tr', 'gov.tr', 'org.tr',
  'co.za', 'org.za', 'gov.za', 'com.sg', 'gov.sg', 'com.hk', 'gov.hk', 'com.tw', 'gov.tw',
  'co.il', 'org.il', 'gov.il', 'ac.il', 'com.ua', 'gov.ua', 'org.ua', 'co.ua', 'com.ru', 'org.ru',
  'gouv.fr', 'asso.fr', 'com.fr', 'gv.at', 'co.at', 'or.at', 'com.pl', 'gov.pl', 'org.pl',
  'com.es', 'gob.es', 'org.es', 'gov.it', 'com.pt', 'gov.pt', 'com.my', 'gov.my', 'co.th', 'go.th',
  'com.ph', 'gov.ph', 'co.id', 'go.id', 'com.vn', 'gov.vn', 'com.eg', 'gov.eg', 'com.sa', 'gov.sa',
]);

export function normaliseDomain(d: string): string {
  return d.trim().replace(/\.$/, '').toLowerCase();
}

/** Organisational domain: registrable label plus its (heuristic) public suffix. */
export function organisationalDomain(domain: string): string {
  const labels = normaliseDomain(domain).split('.');
  if (labels.length <= 2) return labels.join('.');
  const lastTwo = labels.slice(-2).join('.');
  const keep = MULTI_LABEL_SUFFIXES.has(lastTwo) ? 3 : 2;
  return labels.slice(-keep).join('.');
}

/** `a` equals `b` or is a subdomain of it (case-insensitive). */
export function isSameOrSubdomain(a: string, b: string): boolean {
  const x = normaliseDomain(a);
  const y = normaliseDomain(b);
  return x === y || x.endsWith(`.${y}`);
}

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
