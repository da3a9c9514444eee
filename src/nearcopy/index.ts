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
  /**
   * Precomputed by `sketchOf` when the text was extracted (the case stores it), so a run over a
   * whole case reads no text but that of candidate pairs. null: known too short to compare;
   * undefined: computed here from text or cells.
   */
  sketch?: NearCopySketch | null;
}

/** What a document contributes to candidate search: its basis, shingle size and MinHash signature. */
export interface NearCopySketch {
  basis: 'text' | 'cells';
  k: number;
  signature: Uint32Array;
}

const DEFAULT_MIN_WORDS = 8;

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

const hashers = new Map<number, ReturnType<typeof minHasher>>();
function hasherOf(size: number): ReturnType<typeof minHasher> {
  let h = hashers.get(size);
  if (!h) hashers.set(size, (h = minHasher(size)));
  return h;
}

/**
 * The sketch of a document's cells (when it has any) or text; undefined when its text has too few
 * words to compare. Reads `cells`, then `text` only if needed, each once (they may be getters).
 */
export function sketchOf(input: { readonly text?: string | null; readonly cells?: readonly Cell[] | null }, opts: Pick<NearCopyOptions, 'hashes' | 'minWords'> = {}): NearCopySketch | undefined {
  const hasher = hasherOf(opts.hashes ?? DEFAULT_HASHES);
  const cells = input.cells;
  if (cells && cells.length > 0) return { basis: 'cells', k: 0, signature: hasher.signature(cellHashes(cells)) };
  const text = input.text;
  const minWords = opts.minWords ?? DEFAULT_MIN_WORDS;
  if (!text || countWords(text, minWords) < minWords) return undefined;
  const k = shingleSize(text);
  return { basis: 'text', k, signature: hasher.signature(shingleHashes(text, k)) };
}

/** Bytes for the case: basis (0 text, 1 cells), shingle size, then the signature (little-endian). Empty: nothing to compare. */
export function encodeSketch(s: NearCopySketch | undefined): Buffer {
  if (!s) return Buffer.alloc(0);
  const out = Buffer.alloc(2 + 4 * s.signature.length);
  out[0] = s.basis === 'cells' ? 1 : 0;
  out[1] = s.k;
  for (let i = 0; i < s.signature.length; i++) out.writeUInt32LE(s.signature[i]!, 2 + 4 * i);
  return out;
}

/** The stored sketch; null for the empty "nothing to compare" value (or bytes that are not a sketch). */
export function decodeSketch(b: Buffer): NearCopySketch | null {
  if (b.length < 6 || (b.length - 2) % 4 !== 0) return null;
  const signature = new Uint32Array((b.length - 2) / 4);
  for (let i = 0; i < signature.length; i++) signature[i] = b.readUInt32LE(2 + 4 * i);
  return { basis: b[0] === 1 ? 'cells' : 'text', k: b[1]!, signature };
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
  const minWords = opts.minWords ?? DEFAULT_MIN_WORDS;
  const hashes = opts.hashes ?? DEFAULT_HASHES;
  const prepared: Prepared[] = [];
  const sigs: Uint32Array[] = [];
  // Each text is read (from the case, by the caller's getter), hashed and dropped: keep that garbage in check.
  const heap = new HeapGovernor();
  for (const input of docs) {
    heap.tick();
    const stored = input.sketch === null || input.sketch?.signature.length === hashes ? input.sketch : undefined;
    const sketch = stored !== undefined ? stored : sketchOf(input, { hashes, minWords });
    if (!sketch) continue;
    prepared.push({ input, basis: sketch.basis, k: sketch.k });
    sigs.push(sketch.signature);
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
