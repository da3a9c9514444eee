// Splitting a host on the Public Suffix List (tldts): "mail.en-marche.fr" is the subdomain "mail"
// of the registrable domain "en-marche.fr", whose label is "en-marche" under the suffix "fr".
import { parse } from 'tldts';

export interface DomainParts {
  /** What comes before the registrable domain ('' if none). */
  subdomain: string;
  /** The registrable label, e.g. "en-marche" ('' when the host is itself a public suffix). */
  label: string;
  /** The public suffix, e.g. "fr" or "co.uk". */
  suffix: string;
  /** label + '.' + suffix, or '' when there is no registrable part. */
  registrable: string;
}

/** PSL split of an ASCII host. Private suffixes (github.io, ...) are left out: a look-alike of a
 *  brand is registered under the ICANN suffix, and the hosting provider's name is part of what
 *  the reader must see. */
export function splitDomain(host: string): DomainParts {
  const p = parse(host, { allowPrivateDomains: false, detectIp: true, extractHostname: false, validateHostname: false });
  if (p.isIp) return { subdomain: '', label: '', suffix: '', registrable: '' };
  const suffix = p.publicSuffix ?? '';
  const label = p.domainWithoutSuffix ?? '';
  return { subdomain: p.subdomain ?? '', label, suffix, registrable: p.domain ?? '' };
}
