// Compares a quote with its original regardless of quoting prefixes, re-wrapping, whitespace and the
// boilerplate gateways and lists add (external-mail banners, list footers).
import { diffArrays } from 'diff';
import { stripQuotePrefix } from './quotes.js';

const BANNER = /^\s*(\[?EXTERNAL\]?|CAUTION|ATTENTION|WARNING|EXTERNAL EMAIL)\b.*\b(outside|external|extérieur|externe)\b/i;
// Mailman writes its footer under a rule of underscores; Google Groups, Sympa and many list servers
// under a signature delimiter ("-- ") or a line of dashes.
const LIST_FOOTER_RULE = /^\s*(_{10,}|-{10,}|--)\s*$/;
const LIST_FOOTER_TEXT = /(mailing list|unsubscribe|listinfo|list-unsubscribe|subscribed to the .*group|groups\.google|désinscri|désabonn|abmelden)/i;

/** Lines with quote prefixes removed, banners dropped and a trailing mailing-list footer cut. */
export function cleanLines(lines: string[]): string[] {
  const out = lines.map((l) => stripQuotePrefix(l.replace(/[\u00a0\u202f]/g, ' ')).trimEnd()).filter((l) => !BANNER.test(l));
  for (let i = 0; i < out.length; i++) {
    if (LIST_FOOTER_RULE.test(out[i]!) && out.slice(i + 1, i + 8).some((l) => LIST_FOOTER_TEXT.test(l))) {
      // The footer block ends at the next blank line after its text; anything after belongs to older quotes.
      let end = i + 1;
      while (end < out.length && !(out[end]!.trim() === '' && out.slice(i + 1, end).some((l) => LIST_FOOTER_TEXT.test(l)))) end++;
      out.splice(i, end - i);
      i--;
    }
  }
  return out;
}

const normaliseToken = (t: string): string =>
  t.normalize('NFC').replace(/[‘’]/g, "'").replace(/[“”«»]/g, '"').replace(/[–—]/g, '-').replace(/^[*_]+|[*_]+$/g, '');

/** Words of a text for comparison; links are dropped because gateways rewrite them. */
export function tokens(lines: string[]): string[] {
  return cleanLines(lines)
    .join(' ')
    .split(/\s+/)
    .filter((t) => t && !/^<?(https?:\/\/|mailto:)/i.test(t))
    .map(normaliseToken)
    .filter(Boolean);
}

/** The quoted words appear in the original as one contiguous run. */
export function isContiguousIn(quote: string[], original: string[]): boolean {
  if (quote.length === 0) return true;
  return ` ${original.join(' ')} `.includes(` ${quote.join(' ')} `);
}

/** Share of the quote's distinct words found in the original: low means the pairing is wrong. */
export function overlap(quote: string[], original: string[]): number {
  const have = new Set(original.map((t) => t.toLowerCase()));
  const want = new Set(quote.map((t) => t.toLowerCase()));
  if (want.size === 0) return 0;
  let hit = 0;
  for (const t of want) if (have.has(t)) hit++;
  return hit / want.size;
}

/** Paragraphs (blank-line separated, whitespace collapsed) for a readable line diff. */
export function paragraphs(lines: string[]): string[] {
  const out: string[] = [];
  let cur: string[] = [];
  for (const l of cleanLines(lines)) {
    if (l.trim() === '') {
      if (cur.length) out.push(cur.join(' ').replace(/\s+/g, ' ').trim());
      cur = [];
    } else cur.push(l.trim());
  }
  if (cur.length) out.push(cur.join(' ').replace(/\s+/g, ' ').trim());
  return out;
}

/** Trims the parts of the original outside the quoted region (before its first and after its last match). */
function trimOuterRemovals<T extends { added?: boolean; removed?: boolean }>(parts: T[]): T[] {
  let a = 0;
  let b = parts.length;
  while (a < b && parts[a]!.removed) a++;
  while (b > a && parts[b - 1]!.removed) b--;
  return parts.slice(a, b);
}

export interface QuoteDiff {
  /** Paragraph diff: ' ' same, '-' only in the original, '+' only in the quote. */
  lines: string[];
  removed: string[];
  added: string[];
}

/** What differs between the original and its quote, restricted to the quoted region. */
export function quoteDiff(originalLines: string[], quoteLines: string[]): QuoteDiff {
  const lines = trimOuterRemovals(diffArrays(paragraphs(originalLines), paragraphs(quoteLines))).flatMap((part) =>
    part.value.map((v) => `${part.added ? '+' : part.removed ? '-' : ' '} ${v}`),
  );
  const words = trimOuterRemovals(diffArrays(tokens(originalLines), tokens(quoteLines)));
  return {
    lines,
    removed: words.filter((w) => w.removed).map((w) => w.value.join(' ')),
    added: words.filter((w) => w.added).map((w) => w.value.join(' ')),
  };
}
