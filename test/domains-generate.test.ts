// Look-alike generation: each dnstwist fuzzer on small labels whose variants can be listed by hand,
// the IDN validity filter, the PSL split, and the first-fuzzer-wins tagging of generateVariants.
// (Parity with dnstwist itself on full domains is measured in bench/domains.ts.)
import { describe, expect, it } from 'vitest';
import * as f from '../src/domains/fuzzers.js';
import { generateVariants, parseDictionary, parseTldList, DomainInputError } from '../src/domains/generate.js';
import { isHostname, normaliseDomain, toAscii, toUnicode } from '../src/domains/idn.js';
import { splitDomain } from '../src/domains/psl.js';
import { skeleton } from '../src/domains/confusables.js';

const set = (it: Iterable<string>): string[] => [...new Set(it)].sort();

describe('fuzzers', () => {
  it('addition appends one digit or letter', () => {
    const v = set(f.addition('ab'));
    expect(v).toHaveLength(36);
    expect(v).toContain('ab0');
    expect(v).toContain('abz');
  });
  it('bitsquatting flips one bit and keeps host characters only', () => {
    // 'a' = 0x61: flips give 'q' (0x71), 'e' (0x65), 'c' (0x63), '`' (dropped), 'i', 'A' (dropped), '!' ...
    expect(set(f.bitsquatting('a'))).toEqual(['!', 'c', 'e', 'i', 'q'].filter((c) => /[a-z0-9-]/.test(c)).sort());
  });
  it('cyrillic replaces every letter, or nothing when one letter has no twin', () => {
    expect(set(f.cyrillic('ok'))).toEqual(['ок']);
    expect(set(f.cyrillic('fox'))).toEqual([]); // f has no Cyrillic twin: dnstwist skips such labels
  });
  it('homoglyph substitutes in windows, once and twice', () => {
    const v = set(f.homoglyph('om'));
    expect(v).toContain('0m'); // window "o"
    expect(v).toContain('orn'); // window "m"
    expect(v).toContain('0rn'); // two passes
    expect(v).toContain('om'); // 0 → o on the second pass: generateVariants drops the original
  });
  it('hyphenation puts a hyphen between two characters', () => {
    expect(set(f.hyphenation('abc'))).toEqual(['a-bc', 'ab-c']);
  });
  it('insertion adds a neighbouring key before or after an inner character', () => {
    const v = set(f.insertion('lol'));
    // inner 'o' neighbours on qwerty/qwertz/azerty: 0, p, l, k, i, 9
    expect(v).toEqual(['l0ol', 'lo0l', 'lpol', 'lopl', 'llol', 'loll', 'lkol', 'lokl', 'liol', 'loil', 'l9ol', 'lo9l'].sort());
  });
  it('omission drops one character', () => {
    expect(set(f.omission('abc'))).toEqual(['ab', 'ac', 'bc']);
  });
  it('plural inserts s or es inside the label', () => {
    expect(set(f.plural('boxing'))).toEqual(['boxesing', 'boxisng'].sort());
  });
  it('repetition doubles one character', () => {
    expect(set(f.repetition('ab'))).toEqual(['aab', 'abb']);
  });
  it('replacement uses neighbouring keys of all three layouts', () => {
    const v = set(f.replacement('q'));
    expect(v).toEqual(['1', '2', 'a', 'g', 's', 'w', 'z'].filter((c) => v.includes(c)));
    expect(v).toContain('w'); // qwerty
    expect(v).toContain('z'); // azerty: q is next to z
  });
  it('subdomain splits the label with a dot, never beside a hyphen', () => {
    expect(set(f.subdomain('ab-cde'))).toEqual(['a.b-cde', 'ab-c.de']);
  });
  it('transposition swaps neighbours', () => {
    expect(set(f.transposition('abc'))).toEqual(['acb', 'bac']);
  });
  it('vowel-swap replaces a vowel by each vowel', () => {
    expect(set(f.vowelSwap('ba'))).toEqual(['ba', 'be', 'bi', 'bo', 'bu']);
  });
  it('dictionary glues words around the label and into hyphenated parts', () => {
    expect(set(f.dictionary('en-marche', ['login']))).toEqual(
      ['en-marche-login', 'en-marchelogin', 'login-en-marche', 'loginen-marche', 'en-login', 'login-marche'].sort(),
    );
    expect(set(f.dictionary('mail', ['mail']))).toEqual([]); // the word is the label
  });
});

describe('generateVariants', () => {
  it('tags each domain with the first fuzzer that made it and drops the invalid ones', () => {
    const v = generateVariants('en-marche.fr');
    expect(v[0]).toEqual({ fuzzer: '*original', domain: 'en-marche.fr', unicode: 'en-marche.fr' });
    const byDomain = new Map(v.map((x) => [x.domain, x]));
    expect(byDomain.get('en-marche1.fr')?.fuzzer).toBe('addition');
    expect(byDomain.get('enmarche.fr')?.fuzzer).toBe('omission');
    expect(byDomain.get('en-marchefr.fr')?.fuzzer).toBe('various');
    expect(byDomain.get('en-marche-fr.com')?.fuzzer).toBe('various');
    expect(byDomain.has('en--marche.fr')).toBe(false); // hyphens in 3rd and 4th place are reserved
    expect(byDomain.has('-en-marche.fr')).toBe(false);
    const cyr = v.find((x) => x.unicode === 'èn-marche.fr'); // a homoglyph
    expect(cyr?.domain.startsWith('xn--')).toBe(true);
    expect(new Set(v.map((x) => x.domain)).size).toBe(v.length);
  });
  it('uses the dictionary and TLD list, and not the domain\'s own suffix', () => {
    const v = generateVariants('en-marche.fr', { dictionary: ['login'], tlds: ['fr', 'com', 'co.uk'], fuzzers: ['dictionary', 'tld-swap'] });
    expect(v.map((x) => `${x.fuzzer} ${x.domain}`).sort()).toEqual([
      '*original en-marche.fr', 'dictionary en-login.fr', 'dictionary en-marche-login.fr', 'dictionary en-marchelogin.fr',
      'dictionary login-en-marche.fr', 'dictionary login-marche.fr', 'dictionary loginen-marche.fr',
      'tld-swap en-marche.co.uk', 'tld-swap en-marche.com',
    ]);
  });
  it('keeps the subdomain and varies the registrable label of a multi-level suffix', () => {
    const v = generateVariants('mail.bbc.co.uk', { fuzzers: ['omission', 'various'] }).map((x) => x.domain);
    expect(v).toContain('mail.bc.co.uk');
    expect(v).toContain('mail.bbc.uk');
    expect(v).toContain('mailbbc.co.uk');
  });
  it('refuses what is not a registrable domain, saying so', () => {
    expect(() => generateVariants('co.uk')).toThrow(DomainInputError);
    expect(() => generateVariants('not a domain')).toThrow(/not a valid domain name/);
  });
  it('parses word and TLD files as dnstwist does', () => {
    expect(parseDictionary('login\nlog-in\n\nélu\nlogin\n')).toEqual(['login', 'élu']);
    expect(parseTldList('com\nco.uk\n.net\nx\n')).toEqual(['com', 'co.uk']);
  });
});

describe('idn, psl, confusables', () => {
  it('encodes and decodes IDN', () => {
    expect(toAscii('еn-marche.fr')).toMatch(/^xn--/);
    expect(toUnicode(toAscii('еn-marche.fr')!)).toBe('еn-marche.fr');
    expect(toAscii('a b.fr')).toBeNull();
    expect(isHostname('a.fr')).toBe(true);
    expect(normaliseDomain('Mail.EN-MARCHE.fr.')).toBe('mail.en-marche.fr');
    expect(normaliseDomain('localhost')).toBeNull();
  });
  it('splits on the public suffix list', () => {
    expect(splitDomain('mail.en-marche.fr')).toEqual({ subdomain: 'mail', label: 'en-marche', suffix: 'fr', registrable: 'en-marche.fr' });
    expect(splitDomain('news.bbc.co.uk').registrable).toBe('bbc.co.uk');
    expect(splitDomain('elysee.gouv.fr').label).toBe('elysee');
  });
  it('folds confusables to one skeleton', () => {
    expect(skeleton('еn-mаrche')).toBe(skeleton('en-marche')); // Cyrillic е and а
    expect(skeleton('micros0ft')).toBe(skeleton('microsoft'));
    expect(skeleton('rnicrosoft')).toBe(skeleton('microsoft'));
    expect(skeleton('example')).not.toBe(skeleton('exarnpie1'.slice(0, 0) + 'sample'));
  });
});
