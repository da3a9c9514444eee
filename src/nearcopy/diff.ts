// What differs between two near copies: word hunks for text (via the `diff` package), changed cells
// by (sheet, ref) for spreadsheets.
import { diffArrays } from 'diff';
import { cellKey, displayTokens, normaliseWord, type Cell } from './features.js';

export interface TextChange {
  /** Words just before the change, for locating it. */
  context: string;
  /** Words of the first document replaced or dropped. */
  removed: string;
  /** Words of the second document inserted instead. */
  added: string;
}

export interface CellChange {
  sheet: string;
  ref: string;
  /** Value in the first document (absent: no such cell). */
  a?: string;
  /** Value in the second document. */
  b?: string;
}

export interface TextComparison {
  /** 2·common / (words a + words b): 1 for equal texts. */
  similarity: number;
  changes: TextChange[];
  changeCount: number;
}

const CONTEXT_WORDS = 6;
export const MAX_CHANGES_SHOWN = 50;

/**
 * Word diff of two texts. Words compare case- and punctuation-insensitively but are shown as written.
 * Returns undefined when the texts need more than `maxEditShare` of their words changed: the diff
 * is then aborted early (Myers' algorithm is quadratic on unrelated texts).
 */
export function compareTexts(a: string, b: string, maxEditShare = 0.5): TextComparison | undefined {
  const ta = displayTokens(a);
  const tb = displayTokens(b);
  const total = ta.length + tb.length;
  if (total === 0) return { similarity: 1, changes: [], changeCount: 0 };
  const parts = diffArrays(ta, tb, {
    comparator: (x: string, y: string) => x === y || normaliseWord(x) === normaliseWord(y),
    maxEditLength: Math.ceil(maxEditShare * total) + 1,
  });
  if (!parts) return undefined;
  let common = 0;
  const changes: TextChange[] = [];
  let changeCount = 0;
  let before: string[] = [];
  let at = 0; // position in `ta`: context is shown as the first text has it
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    if (!p.added && !p.removed) {
      common += p.value.length;
      at += p.value.length;
      before = ta.slice(Math.max(0, at - CONTEXT_WORDS), at);
      continue;
    }
    if (p.removed) at += p.value.length;
    // A removal followed by an addition is one replacement.
    const removed = p.removed ? p.value : [];
    let added = p.added ? p.value : [];
    const next = parts[i + 1];
    if (p.removed && next?.added) {
      added = next.value;
      i++;
    }
    changeCount++;
    if (changes.length < MAX_CHANGES_SHOWN) changes.push({ context: before.join(' '), removed: removed.join(' '), added: added.join(' ') });
    before = [];
  }
  return { similarity: (2 * common) / total, changes, changeCount };
}

export interface CellComparison {
  /** Cells with the same value / cell positions in either: 1 for equal sheets. */
  similarity: number;
  changes: CellChange[];
  changeCount: number;
}

/** Cell-by-cell comparison keyed by (sheet, ref), in sheet then reading order of the first document. */
export function compareCells(a: readonly Cell[], b: readonly Cell[]): CellComparison {
  const mb = new Map(b.map((c) => [cellKey(c), c]));
  const ma = new Map(a.map((c) => [cellKey(c), c]));
  const changes: CellChange[] = [];
  let same = 0;
  for (const [k, ca] of ma) {
    const cb = mb.get(k);
    if (cb && cb.value.trim() === ca.value.trim()) same++;
    else changes.push({ sheet: ca.sheet, ref: ca.ref, a: ca.value, ...(cb ? { b: cb.value } : {}) });
  }
  for (const [k, cb] of mb) if (!ma.has(k)) changes.push({ sheet: cb.sheet, ref: cb.ref, b: cb.value });
  const union = ma.size + [...mb.keys()].filter((k) => !ma.has(k)).length;
  return { similarity: union ? same / union : 1, changes: changes.slice(0, MAX_CHANGES_SHOWN), changeCount: changes.length };
}
