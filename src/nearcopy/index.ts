// Near-copy detection over a whole case: MinHash signatures, LSH banding for candidate pairs in
// expected linear time, then an exact comparison of each candidate with its differences.
import { cellHashes, shingleHashes, SHINGLE_WORDS, type Cell } from './features.js';
import { candidatePairs, DEFAULT_BANDING, type BandingOptions } from './lsh.js';
import { HeapGovernor } from '../util/heap.js';
import { estimateJaccard, exactJaccard, minHasher, DEFAULT_HASHES } from './minhash.js';
import { compareCells, compareTexts, type CellChange, type TextChange } from './diff.js';

export type { CellChange, TextChange } from './diff.js';
export { compareCells, compareTexts } from './diff.js';

export interface NearCopyInput {
  itemId: number;
  text?: string;
  cells?: readonly Cell[];
}

export interface NearCopyOptions {
  /** Minimum similarity for a pair (default 0.8). */
  threshold?: number;
  hashes?: number;
  banding?: BandingOptions;
  /** Texts with fewer words are not compared (default 8): one-line notes are near copies of everything. */
  minWords?: number;
}

export interface NearCopyPair {
  /** Item ids, a < b. */
  a: number;
  b: number;
  /** What was compared: cells when both items have cells, else text. */
  basis: 'text' | 'cells';
  /**
   * Exact similarity: for text the larger of the shingle Jaccard index and the word-level Dice
   * coefficient (short texts lose many shingles to one changed word); for cells the share of equal cells.
   */
  similarity: number;
  /** MinHash estimate that made the pair a candidate. */
  estimate: number;
  /** Number of changed word runs or cells; `textChanges`/`cellChanges` show at most 50. */
  changeCount: number;
  textChanges?: TextChange[];
  cellChanges?: CellChange[];
}

/**
 * Only the MinHash signature is kept per document; features (and the text behind them) are
 * recomputed for candidate pairs. A case holds tens of thousands of documents: keeping every
 * shingle set alive at once would cost more memory than all the rest of the analysis.
 */
interface Prepared {
  input: NearCopyInput;
  basis: 'text' | 'cells';
  /** Words per shingle for text. */
  k: number;
}

function featuresOf(p: Prepared): Uint32Array {
  return p.basis === 'cells' ? cellHashes(p.input.cells ?? []) : shingleHashes(p.input.text ?? '', p.k);
}

/**
 * Pairs of items whose text (or cells) are near copies, each with its differences. Deterministic:
 * pairs sorted by (a, b). Identical texts are pairs too (similarity 1, no changes).
 */
export function findNearCopies(docs: readonly NearCopyInput[], opts: NearCopyOptions = {}): NearCopyPair[] {
  const threshold = opts.threshold ?? 0.8;
  const minWords = opts.minWords ?? 8;
  const hasher = minHasher(opts.hashes ?? DEFAULT_HASHES);
  const prepared: Prepared[] = [];
  const sigs: ReturnType<typeof hasher.signature>[] = [];
  // Each text is read (from the case, by the caller's getter), hashed and dropped: keep that garbage in check.
  const heap = new HeapGovernor();
  for (const input of docs) {
    heap.tick();
    const cells = input.cells;
    if (cells && cells.length > 0) {
      prepared.push({ input, basis: 'cells', k: 0 });
      sigs.push(hasher.signature(cellHashes(cells)));
      continue;
    }
    // Read once: the getter may fetch the text from the case.
    const text = input.text;
    if (!text || countWords(text, minWords) < minWords) continue;
    const k = shingleSize(text);
    prepared.push({ input, basis: 'text', k });
    sigs.push(hasher.signature(shingleHashes(text, k)));
  }
  const out: NearCopyPair[] = [];
  for (const [i, j] of candidatePairs(sigs, opts.banding ?? DEFAULT_BANDING)) {
    const x = prepared[i]!;
    const y = prepared[j]!;
    if (x.basis !== y.basis || x.input.itemId === y.input.itemId) continue;
    const [p, q] = x.input.itemId < y.input.itemId ? [x, y] : [y, x];
    const pair = comparePair(p, q, estimateJaccard(sigs[i]!, sigs[j]!), threshold);
    if (pair) out.push(pair);
  }
  return out.sort((s, t) => s.a - t.a || s.b - t.b);
}

function comparePair(p: Prepared, q: Prepared, estimate: number, threshold: number): NearCopyPair | undefined {
  const base = { a: p.input.itemId, b: q.input.itemId, basis: p.basis, estimate };
  if (p.basis === 'cells') {
    const c = compareCells(p.input.cells ?? [], q.input.cells ?? []);
    if (c.similarity < threshold) return undefined;
    return { ...base, similarity: c.similarity, changeCount: c.changeCount, cellChanges: c.changes };
  }
  const jaccard = exactJaccard(featuresOf(p), featuresOf(q));
  const t = compareTexts(p.input.text ?? '', q.input.text ?? '', Math.max(1 - threshold, 0.05));
  const similarity = Math.max(jaccard, t?.similarity ?? 0);
  if (similarity < threshold) return undefined;
  const changes = t ?? compareTexts(p.input.text ?? '', q.input.text ?? '', 1);
  return { ...base, similarity, changeCount: changes?.changeCount ?? 0, textChanges: changes?.changes ?? [] };
}

/**
 * Shorter shingles for short texts: one changed figure in a 20-word budget line breaks 5 of its 16
 * five-word shingles, and the pair would never become a candidate. Texts of very different lengths
 * are not near copies, so mixing sizes across them loses nothing.
 */
function shingleSize(text: string): number {
  const n = countWords(text, 150);
  return n < 40 ? 1 : n < 150 ? 2 : SHINGLE_WORDS;
}

/** Counts whitespace-separated words, stopping at `enough`. */
function countWords(text: string, enough: number): number {
  let n = 0;
  for (const m of text.matchAll(/\S+/g)) {
    void m;
    if (++n >= enough) break;
  }
  return n;
}
