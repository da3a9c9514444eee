// Generation of look-alike candidates for one domain, every variant tagged with the fuzzer that
// made it first (same order and same validity filter as dnstwist, so the sets can be compared).
import { toAscii, isHostname, toUnicode } from './idn.js';
import { splitDomain } from './psl.js';
import { DEFAULT_FUZZERS, LABEL_FUZZERS, dictionary, type FuzzerName, FUZZER_NAMES } from './fuzzers.js';

export interface Variant {
  fuzzer: FuzzerName | '*original';
  /** ASCII (punycode) form, as it would travel in DNS and mail headers. */
  domain: string;
  /** What a reader sees. */
  unicode: string;
}

export interface GenerateOptions {
  /** Words for the dictionary fuzzer (already filtered, see parseDictionary). */
  dictionary?: readonly string[];
  /** Suffixes for tld-swap (see parseTldList). */
  tlds?: readonly string[];
  /** Which fuzzers to run (default: DEFAULT_FUZZERS). */
  fuzzers?: readonly FuzzerName[];
}

/** Thrown for a domain that has no registrable label to vary. */
export class DomainInputError extends Error {}

/** Words of a dictionary file: one a line, letters and digits only (as dnstwist keeps them). */
export function parseDictionary(text: string): string[] {
  return [...new Set(text.split(/\r?\n/))].filter((w) => /^[\p{L}\p{N}]+$/u.test(w));
}

/** Suffixes of a TLD file: one a line, "com" or "co.uk" shapes only. */
export function parseTldList(text: string): string[] {
  return [...new Set(text.split(/\r?\n/))].filter((t) => /^[a-z0-9-]{2,63}(\.[a-z0-9-]{2,63})?$/.test(t));
}

/** The variants of a domain; the first one is the domain itself (fuzzer "*original"). */
export function generateVariants(input: string, opts: GenerateOptions = {}): Variant[] {
  const host = toAscii(input.trim().toLowerCase().replace(/\.$/, ''));
  if (host === null || !isHostname(host)) throw new DomainInputError(`"${input}" is not a valid domain name: give one like en-marche.fr`);
  const { subdomain: sub, label: asciiLabel, suffix } = splitDomain(host);
  if (asciiLabel === '') throw new DomainInputError(`"${input}" is a public suffix, not a registrable domain: give one like en-marche.fr`);
  const label = toUnicode(asciiLabel);
  const fuzzers = new Set(opts.fuzzers ?? DEFAULT_FUZZERS);
  const byDomain = new Map<string, Variant>();
  const add = (fuzzer: Variant['fuzzer'], s: string, l: string, t: string): void => {
    const full = [s, l, t].filter((p) => p !== '').join('.');
    const ascii = toAscii(full);
    if (ascii === null || !isHostname(ascii) || byDomain.has(ascii)) return;
    // `full` is already the Unicode form the encoding came from: no need to decode it back.
    byDomain.set(ascii, { fuzzer, domain: ascii, unicode: full });
  };
  add('*original', sub, label, suffix);
  for (const name of FUZZER_NAMES) {
    if (!fuzzers.has(name)) continue;
    if (name === 'dictionary') {
      for (const l of dictionary(label, opts.dictionary ?? [])) add(name, sub, l, suffix);
    } else if (name === 'tld-swap') {
      for (const t of opts.tlds ?? []) if (t !== suffix) add(name, sub, label, t);
    } else if (name === 'various') {
      for (const [s, l, t] of various(sub, label, suffix)) add(name, s, l, t);
    } else {
      for (const l of LABEL_FUZZERS[name](label)) add(name, sub, l, suffix);
    }
  }
  return [...byDomain.values()];
}

/** Suffix tricks: the suffix glued to the label ("en-marchefr.fr", "en-marche-fr.com"), a
 *  two-level suffix cut ("bbc.uk", "bbcco.uk"), the subdomain glued to the label. Each triple is
 *  (subdomain, label, suffix). */
function* various(sub: string, label: string, suffix: string): Iterable<[string, string, string]> {
  if (suffix.includes('.')) {
    yield [sub, label, suffix.split('.').at(-1)!];
    yield [sub, label + suffix, ''];
  } else {
    yield [sub, label + suffix, suffix];
    if (suffix !== 'com') yield [sub, `${label}-${suffix}`, 'com'];
  }
  if (sub !== '') {
    yield ['', sub + label, suffix];
    yield ['', sub.replaceAll('.', '') + label, suffix];
    yield ['', `${sub}-${label}`, suffix];
    yield ['', `${sub.replaceAll('.', '-')}-${label}`, suffix];
  }
}
