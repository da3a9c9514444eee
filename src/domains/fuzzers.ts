// The dnstwist fuzzers, each a function from a registrable label ("en-marche") to the labels it
// derives. They work on code points (a label may already hold non-ASCII letters) and may repeat a
// variant: generate.ts dedupes and validates. Written for tamis after dnstwist's descriptions of
// each algorithm (see fuzz-data.ts for the shared data).
import { GLYPHS, KEYBOARDS, LATIN_TO_CYRILLIC } from './fuzz-data.js';

export const FUZZER_NAMES = [
  'addition', 'bitsquatting', 'cyrillic', 'homoglyph', 'hyphenation', 'insertion', 'omission',
  'plural', 'repetition', 'replacement', 'subdomain', 'transposition', 'vowel-swap', 'dictionary',
  'tld-swap', 'various',
] as const;
export type FuzzerName = (typeof FUZZER_NAMES)[number];

/** The fuzzers dnstwist 20221213 (Debian's) runs by default: all but plural, added later. */
export const DEFAULT_FUZZERS: readonly FuzzerName[] = FUZZER_NAMES.filter((f) => f !== 'plural');

const cps = (s: string): string[] => Array.from(s);
const HOST_CHARS = new Set('abcdefghijklmnopqrstuvwxyz0123456789-');
const VOWELS = 'aeiou';

/** One character added at the end ("en-marche1", "en-marchea"). */
export function* addition(label: string): Iterable<string> {
  for (let i = 48; i < 58; i++) yield label + String.fromCharCode(i);
  for (let i = 97; i < 123; i++) yield label + String.fromCharCode(i);
}

/** One bit flipped in one character, keeping only characters valid in a host name. */
export function* bitsquatting(label: string): Iterable<string> {
  const c = cps(label);
  for (let i = 0; i < c.length; i++) {
    const code = c[i]!.codePointAt(0)!;
    for (let bit = 0; bit < 8; bit++) {
      const b = String.fromCodePoint(code ^ (1 << bit));
      if (HOST_CHARS.has(b)) yield c.slice(0, i).join('') + b + c.slice(i + 1).join('');
    }
  }
}

/** Every Latin letter that has a Cyrillic twin replaced by it; none if any letter has no twin. */
export function* cyrillic(label: string): Iterable<string> {
  const c = cps(label);
  const out = c.map((ch) => LATIN_TO_CYRILLIC[ch] ?? ch);
  if (out.every((ch, i) => ch !== c[i])) yield out.join('');
}

/** One pass of homoglyph substitution: in every window shorter than the label, one of its
 *  characters replaced everywhere in the window by one of its look-alikes. Prefixes and suffixes
 *  are built once: this runs on every result of the first pass, the bulk of generation time. */
function* homoglyphPass(label: string): Iterable<string> {
  const c = cps(label);
  const n = c.length;
  const pre: string[] = [''];
  for (let i = 0; i < n; i++) pre.push(pre[i]! + c[i]!);
  const suf: string[] = new Array<string>(n + 1).fill('');
  for (let i = n - 1; i >= 0; i--) suf[i] = c[i]! + suf[i + 1]!;
  for (let w = 1; w < n; w++) {
    for (let i = 0; i + w <= n; i++) {
      const seen = new Set<string>();
      for (let k = i; k < i + w; k++) {
        const ch = c[k]!;
        if (seen.has(ch)) continue;
        seen.add(ch);
        const glyphs = GLYPHS[ch];
        if (!glyphs) continue;
        for (const g of glyphs) {
          let win = '';
          for (let j = i; j < i + w; j++) win += c[j] === ch ? g : c[j];
          yield pre[i]! + win + suf[i + w]!;
        }
      }
    }
  }
}

/** Homoglyphs applied once and twice (the second pass on every result of the first). */
export function homoglyph(label: string): Iterable<string> {
  const first = new Set(homoglyphPass(label));
  const all = new Set(first);
  for (const r of first) for (const v of homoglyphPass(r)) all.add(v);
  return all;
}

/** A hyphen inserted between two characters. */
export function* hyphenation(label: string): Iterable<string> {
  const c = cps(label);
  for (let i = 1; i < c.length; i++) yield c.slice(0, i).join('') + '-' + c.slice(i).join('');
}

/** A neighbouring key pressed with an inner character, before or after it. */
export function* insertion(label: string): Iterable<string> {
  const c = cps(label);
  for (let i = 1; i < c.length - 1; i++) {
    const pre = c.slice(0, i).join('');
    const suf = c.slice(i + 1).join('');
    for (const kb of KEYBOARDS) {
      for (const k of kb[c[i]!] ?? '') {
        yield pre + k + c[i] + suf;
        yield pre + c[i] + k + suf;
      }
    }
  }
}

/** One character left out. */
export function* omission(label: string): Iterable<string> {
  const c = cps(label);
  for (let i = 0; i < c.length; i++) yield c.slice(0, i).join('') + c.slice(i + 1).join('');
}

/** A plural ending ("s", "es" after s/x/z) inserted inside the label (dnstwist after 20221213). */
export function* plural(label: string): Iterable<string> {
  const c = cps(label);
  for (let i = 2; i < c.length - 2; i++) {
    yield c.slice(0, i + 1).join('') + ('sxz'.includes(c[i]!) ? 'es' : 's') + c.slice(i + 1).join('');
  }
}

/** One character typed twice. */
export function* repetition(label: string): Iterable<string> {
  const c = cps(label);
  for (let i = 0; i < c.length; i++) yield c.slice(0, i).join('') + c[i] + c.slice(i).join('');
}

/** One character replaced by a neighbouring key. */
export function* replacement(label: string): Iterable<string> {
  const c = cps(label);
  for (let i = 0; i < c.length; i++) {
    const pre = c.slice(0, i).join('');
    const suf = c.slice(i + 1).join('');
    for (const kb of KEYBOARDS) for (const k of kb[c[i]!] ?? '') yield pre + k + suf;
  }
}

/** A dot inserted inside the label, making a subdomain of a shorter name ("en-mar.che.fr"). */
export function* subdomain(label: string): Iterable<string> {
  const c = cps(label);
  for (let i = 1; i < c.length - 1; i++) {
    if (c[i] !== '-' && c[i] !== '.' && c[i - 1] !== '-' && c[i - 1] !== '.') {
      yield c.slice(0, i).join('') + '.' + c.slice(i).join('');
    }
  }
}

/** Two neighbouring characters swapped. */
export function* transposition(label: string): Iterable<string> {
  const c = cps(label);
  for (let i = 0; i < c.length - 1; i++) {
    yield c.slice(0, i).join('') + c[i + 1] + c[i] + c.slice(i + 2).join('');
  }
}

/** One vowel replaced by another (or itself: the original is dropped later). */
export function* vowelSwap(label: string): Iterable<string> {
  const c = cps(label);
  for (let i = 0; i < c.length; i++) {
    if (!VOWELS.includes(c[i]!)) continue;
    for (const v of VOWELS) yield c.slice(0, i).join('') + v + c.slice(i + 1).join('');
  }
}

/** Dictionary words glued or hyphenated before or after the label, or in place of its first or
 *  last hyphenated part ("en-marche" + "login" → "login-marche", "en-login"). */
export function* dictionary(label: string, words: readonly string[]): Iterable<string> {
  for (const w of words) {
    if (label.startsWith(w) && label.endsWith(w)) continue;
    yield `${label}-${w}`;
    yield label + w;
    yield `${w}-${label}`;
    yield w + label;
  }
  if (label.includes('-')) {
    const parts = label.split('-');
    for (const w of words) {
      yield [...parts.slice(0, -1), w].join('-');
      yield [w, ...parts.slice(1)].join('-');
    }
  }
}

/** The label fuzzers, by name (dictionary, tld-swap and various need more than the label). */
export const LABEL_FUZZERS: Readonly<Record<Exclude<FuzzerName, 'dictionary' | 'tld-swap' | 'various'>, (label: string) => Iterable<string>>> = {
  addition, bitsquatting, cyrillic, homoglyph, hyphenation, insertion, omission, plural,
  repetition, replacement, subdomain, transposition, 'vowel-swap': vowelSwap,
};
