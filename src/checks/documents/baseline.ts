// The organisation's own habits, learnt from the dump: verified items first (their metadata is
// proven), else every item, with a majority threshold so that a minority of forgeries cannot set it.
import { asArray, asObject, metaString, type DocumentFacts } from './facts.js';

export const MIN_VERIFIED_BASELINE = 3;

/** The items that define "normal": verified ones when there are enough, else all. */
export function baselineDocs(docs: readonly DocumentFacts[], has: (d: DocumentFacts) => boolean): { docs: DocumentFacts[]; fromVerified: boolean } {
  const verified = docs.filter((d) => d.verified && has(d));
  if (verified.length >= MIN_VERIFIED_BASELINE) return { docs: verified, fromVerified: true };
  return { docs: docs.filter(has), fromVerified: false };
}

/**
 * Values that count as the organisation's: any value of a verified baseline, or a value held by at
 * least `minShare` of an unverified one.
 */
export function usualValues(baseline: { docs: DocumentFacts[]; fromVerified: boolean }, values: (d: DocumentFacts) => string[], minShare = 0.2): Set<string> {
  const docFreq = new Map<string, number>();
  for (const d of baseline.docs) for (const v of new Set(values(d))) docFreq.set(v, (docFreq.get(v) ?? 0) + 1);
  const need = baseline.fromVerified ? 1 : Math.max(1, Math.ceil(minShare * baseline.docs.length));
  return new Set([...docFreq].filter(([, n]) => n >= need).map(([v]) => v));
}

/**
 * Whether the baseline describes one organisation: with verified files, always; otherwise only when
 * at least `minCoverage` of the files use usual values alone. A heterogeneous collection (many
 * languages, many scripts) has no "usual", and every file would look foreign.
 */
export function isHomogeneous(baseline: { docs: DocumentFacts[]; fromVerified: boolean }, values: (d: DocumentFacts) => string[], usual: Set<string>, minCoverage = 0.8): boolean {
  if (baseline.fromVerified) return usual.size > 0;
  if (baseline.docs.length < MIN_VERIFIED_BASELINE) return false;
  const covered = baseline.docs.filter((d) => values(d).every((v) => usual.has(v))).length;
  return covered >= minCoverage * baseline.docs.length;
}

export const normaliseName = (n: string): string => n.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();

/** Author and last editor as written. */
export function editorNames(d: DocumentFacts): { field: string; name: string }[] {
  const out: { field: string; name: string }[] = [];
  for (const field of ['author', 'lastModifiedBy'] as const) {
    const n = metaString(d, field);
    if (n) out.push({ field, name: n });
  }
  return out;
}

/** Authors of tracked changes and comments (OOXML and OpenDocument): people who edited or reviewed the file. */
export function reviewerNames(d: DocumentFacts): { field: string; name: string }[] {
  const out = new Map<string, { field: string; name: string }>();
  for (const source of ['ooxml', 'odf'] as const) {
    const f = asObject(d.metadata[source]);
    for (const [list, field] of [['trackedChanges', 'tracked change author'], ['comments', 'comment author']] as const) {
      for (const entry of asArray(f?.[list])) {
        const name = asObject(entry)?.['author'];
        if (typeof name === 'string' && name.trim() && !out.has(name.trim())) out.set(name.trim(), { field, name: name.trim() });
      }
    }
  }
  return [...out.values()];
}

const SCRIPTS: [string, RegExp][] = [
  ['Latin', /\p{Script=Latin}/u], ['Cyrillic', /\p{Script=Cyrillic}/u], ['Greek', /\p{Script=Greek}/u],
  ['Arabic', /\p{Script=Arabic}/u], ['Hebrew', /\p{Script=Hebrew}/u], ['Han', /\p{Script=Han}/u],
  ['Hangul', /\p{Script=Hangul}/u], ['Kana', /[\p{Script=Hiragana}\p{Script=Katakana}]/u], ['Thai', /\p{Script=Thai}/u],
  ['Devanagari', /\p{Script=Devanagari}/u], ['Armenian', /\p{Script=Armenian}/u], ['Georgian', /\p{Script=Georgian}/u],
];

/** Writing systems used by the letters of a name. */
export function scriptsOf(name: string): string[] {
  return SCRIPTS.filter(([, re]) => re.test(name)).map(([s]) => s);
}

/**
 * The locale a Windows (or classic Mac) ANSI codepage betrays. Mac codepages map to the same locale
 * as their Windows twin: a Mac user in a Windows office is not a foreign editor. Unicode codepages
 * (1200, 65001) tell nothing and are left out.
 */
const CODEPAGE_LOCALES: { [cp: number]: string } = {
  874: 'Thai', 932: 'Japanese', 936: 'Simplified Chinese', 949: 'Korean', 950: 'Traditional Chinese',
  1250: 'Central European', 1251: 'Cyrillic', 1252: 'Western European', 1253: 'Greek', 1254: 'Turkish',
  1255: 'Hebrew', 1256: 'Arabic', 1257: 'Baltic', 1258: 'Vietnamese',
  10000: 'Western European', 10001: 'Japanese', 10006: 'Greek', 10007: 'Cyrillic', 10029: 'Central European',
};

/** The locale ("Cyrillic") of the codepage a legacy Office or RTF file was saved in, when it names one. */
export function codepagesOf(d: DocumentFacts): string[] {
  const cp = d.metadata['codepage'];
  return typeof cp === 'number' && CODEPAGE_LOCALES[cp] ? [CODEPAGE_LOCALES[cp]] : [];
}

/**
 * Primary language subtags (fr from fr-FR) used in a document: Word w:lang values, else declared
 * languages. Only ISO 639-1 codes: Word's `x-none` and junk values are not languages. Note that Word
 * also writes the installation's East Asian and bidi defaults (often zh-CN, ar-SA): a verified baseline
 * from the same installations carries them too.
 */
export function languagesOf(d: DocumentFacts): string[] {
  const ooxml = asArray(asObject(d.metadata['ooxml'])?.['languages']);
  const tags = ooxml.length
    ? ooxml.map((l) => asObject(l)?.['lang']).filter((v): v is string => typeof v === 'string')
    : asArray(d.metadata['languages']).filter((v): v is string => typeof v === 'string');
  return [...new Set(tags.map((t) => t.split(/[-_]/)[0]!.toLowerCase()).filter((t) => /^[a-z]{2}$/.test(t)))].sort();
}
