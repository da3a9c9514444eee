// Matching one seen host against the protected domains: which protected domain it imitates and
// every technique that says so. Techniques, from the most to the least specific:
//   variant        the label is one dnstwist would generate (which fuzzer), under any suffix;
//   skeleton       same TR39 skeleton after IDN decoding (a homograph: looks identical);
//   edit-distance  Damerau-Levenshtein ≤ 1 (labels of 5-7 characters) or ≤ 2 (8 and more);
//   brand-token    the protected label as a hyphen/dot-separated token of another label
//                  (onedrive-en-marche.fr, portal-office.fr) or glued to a generic word (officelogin);
//   brand-in-subdomain  the protected name inside the subdomain of another registrable domain
//                  (en-marche.fr.secure-login.example).
// Short labels (4 characters or fewer) only match visually (skeleton, homoglyph and Cyrillic
// variants) or as a whole token: one edit away from a short brand is mostly other words.
import { skeleton } from './confusables.js';
import { damerauLevenshtein } from './distance.js';
import { FUZZER_NAMES, type FuzzerName } from './fuzzers.js';
import { generateVariants } from './generate.js';
import { normaliseDomain, toUnicode } from './idn.js';
import { PROVIDER_FAMILIES, QUIET_INFRASTRUCTURE } from './infrastructure.js';
import { splitDomain } from './psl.js';

export type Technique = 'variant' | 'skeleton' | 'edit-distance' | 'brand-token' | 'brand-in-subdomain';

export interface Reason {
  imitates: string;
  technique: Technique;
  /** Human-readable detail: the fuzzer, the distance, the token. */
  detail: string;
}

export interface Protected {
  /** Registrable ASCII domain, e.g. "en-marche.fr". */
  domain: string;
  /** Legitimate domains of the same owner (registrable, ASCII); never reported. */
  allow: readonly string[];
}

export interface MatchOptions {
  /** Extra words for the dictionary fuzzer and the combosquat test. */
  dictionary?: readonly string[];
}

/** Generic words glued to a brand in combosquats (plus any --dict words). */
export const COMBO_WORDS = [
  'account', 'accounts', 'auth', 'login', 'logon', 'signin', 'sign', 'secure', 'security', 'verify',
  'verification', 'update', 'portal', 'mail', 'webmail', 'online', 'web', 'support', 'service', 'services',
  'help', 'helpdesk', 'my', 'app', 'cloud', 'drive', 'onedrive', 'docs', 'share', 'sharepoint', 'file',
  'files', 'office', 'outlook', 'password', 'reset', 'sso', 'connect', 'team', 'staff', 'intranet', 'admin',
  'info', 'news', 'live', '365', 'owa', 'id', 'access', 'protect', 'safe', 'alert', 'notice',
];

// Fuzzers whose variants of a short label still look like it, rather than being other words.
const VISUAL: ReadonlySet<string> = new Set(['homoglyph', 'cyrillic']);
const WHOLE_NAME: ReadonlySet<string> = new Set(['dictionary', 'various', 'tld-swap', 'subdomain']);
const SHORT = 4;

interface Target {
  domain: string;
  label: string;
  suffix: string;
  length: number;
  skeleton: string;
  /** Variant labels (no dot) → first fuzzer; variant full domains → first fuzzer. */
  labels: Map<string, FuzzerName>;
  domains: Map<string, FuzzerName>;
}

const cpLength = (s: string): number => Array.from(s).length;

/** The edit distance tolerated on a label of this many characters. */
export function maxEdits(length: number): number {
  return length <= SHORT ? 0 : length <= 7 ? 1 : 2;
}

/** Matches hosts against a set of protected domains. Build once per case, then call match(). */
export class Matcher {
  private readonly targets: Target[];
  private readonly allowed = new Set<string>();
  private readonly combo: ReadonlySet<string>;

  constructor(protectedDomains: readonly Protected[], opts: MatchOptions = {}) {
    this.combo = new Set([...COMBO_WORDS, ...(opts.dictionary ?? [])]);
    this.targets = protectedDomains.map((p) => {
      const { label, suffix, registrable } = splitDomain(p.domain);
      if (registrable === '') throw new Error(`--protect ${p.domain}: not a registrable domain (give one like en-marche.fr)`);
      this.allowed.add(registrable);
      for (const a of p.allow) this.allowed.add(splitDomain(a).registrable || a);
      for (const family of PROVIDER_FAMILIES) if (family.includes(registrable)) for (const a of family) this.allowed.add(a);
      const unicodeLabel = toUnicode(label);
      const t: Target = {
        domain: registrable, label: unicodeLabel, suffix, length: cpLength(unicodeLabel), skeleton: skeleton(unicodeLabel),
        labels: new Map(), domains: new Map(),
      };
      const fuzzers = FUZZER_NAMES.filter((f) => f !== 'tld-swap');
      for (const v of generateVariants(registrable, { fuzzers, dictionary: opts.dictionary ?? [] })) {
        if (v.fuzzer === '*original') continue;
        const sp = splitDomain(v.domain);
        if (!t.domains.has(v.domain)) t.domains.set(v.domain, v.fuzzer);
        if (sp.subdomain === '' && sp.label !== '' && !t.labels.has(sp.label)) t.labels.set(sp.label, v.fuzzer);
      }
      return t;
    });
  }

  /** Whether a host belongs to an owner or to infrastructure that must stay quiet. */
  isAllowed(host: string): boolean {
    const r = splitDomain(host).registrable;
    return r === '' || this.allowed.has(r) || QUIET_INFRASTRUCTURE.has(r) || [...QUIET_INFRASTRUCTURE].some((q) => host === q || host.endsWith(`.${q}`));
  }

  /** Every reason the host imitates a protected domain; empty when it does not (or is allowed). */
  match(rawHost: string): Reason[] {
    const host = normaliseDomain(rawHost);
    if (host === null || this.isAllowed(host)) return [];
    const { subdomain, label: asciiLabel, registrable } = splitDomain(host);
    const label = toUnicode(asciiLabel);
    const labelSkeleton = skeleton(label);
    const reasons: Reason[] = [];
    for (const t of this.targets) {
      const add = (technique: Technique, detail: string): void => {
        if (!reasons.some((r) => r.imitates === t.domain && r.technique === technique)) reasons.push({ imitates: t.domain, technique, detail });
      };
      const short = t.length <= SHORT;
      const fuzzer = t.domains.get(host) ?? t.domains.get(registrable) ?? t.labels.get(asciiLabel);
      if (fuzzer && (!short || VISUAL.has(fuzzer) || WHOLE_NAME.has(fuzzer))) {
        add('variant', `${fuzzer} variant of ${t.domain}${t.labels.get(asciiLabel) && !t.domains.has(registrable) ? ' under another suffix' : ''}`);
      }
      if (labelSkeleton === t.skeleton && label !== t.label) add('skeleton', `looks the same as "${t.label}" once confusable characters are folded`);
      else if (label === t.label && registrable !== t.domain && !short) add('variant', `same name "${t.label}" under another suffix (.${splitDomain(host).suffix})`);
      const max = maxEdits(t.length);
      if (max > 0 && label !== t.label) {
        const d = Math.min(damerauLevenshtein(label, t.label, max), damerauLevenshtein(labelSkeleton, t.skeleton, max));
        if (d > 0 && d <= max) add('edit-distance', `${d} edit${d > 1 ? 's' : ''} from "${t.label}"`);
      }
      const token = this.brandToken(label, t);
      if (token) add('brand-token', token);
      if (subdomain !== '' && this.inSubdomain(toUnicode(subdomain), t)) add('brand-in-subdomain', `"${t.label}" in the subdomain of ${registrable}`);
    }
    return reasons;
  }

  /** The protected label as a whole token of the seen label, or glued to a generic word. */
  private brandToken(label: string, t: Target): string | null {
    if (label === t.label || t.length < 3) return null;
    const tokens = label.split('-');
    const brandTokens = t.label.split('-');
    for (let i = 0; i + brandTokens.length <= tokens.length; i++) {
      if (brandTokens.every((b, k) => tokens[i + k] === b)) return `"${t.label}" as a token of "${label}"`;
    }
    // A hyphenated brand is often written without its hyphens ("enmarche-login").
    const joined = t.label.replaceAll('-', '');
    if (joined !== t.label && tokens.length > 1 && tokens.includes(joined)) return `"${joined}" (${t.label} without hyphens) as a token of "${label}"`;
    if (t.length <= SHORT) return null;
    for (const tok of tokens) {
      if (tok.startsWith(t.label) && this.combo.has(tok.slice(t.label.length))) return `"${t.label}" glued to "${tok.slice(t.label.length)}"`;
      if (tok.endsWith(t.label) && this.combo.has(tok.slice(0, -t.label.length))) return `"${tok.slice(0, -t.label.length)}" glued to "${t.label}"`;
    }
    return null;
  }

  /** The protected label (or its whole domain) among the subdomain's labels or hyphen tokens. */
  private inSubdomain(sub: string, t: Target): boolean {
    const parts = sub.split('.');
    if (sub.includes(t.domain)) return true;
    return parts.some((p) => p === t.label || (t.length > SHORT && p.split('-').includes(t.label)) || (t.length > SHORT && p.split('-').join('-').includes(`${t.label}-`)));
  }
}
