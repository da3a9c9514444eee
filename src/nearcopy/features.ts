// Turns a text or a sheet of cells into a set of 32-bit feature hashes for MinHash: word 5-shingles for
// text, one feature per cell position and one per (position, value) for spreadsheets.

/** Shingle length in words. */
export const SHINGLE_WORDS = 5;

/** 32-bit FNV-1a of a string (UTF-16 code units): fast, and good enough once finalised by `mix32`. */
export function fnv1a(s: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Murmur3 finaliser: spreads the bits so that every MinHash permutation sees well-mixed input. */
export function mix32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Words as written (punctuation kept), for showing diffs. */
export function displayTokens(text: string): string[] {
  return text.split(/\s+/).filter(Boolean);
}

/** A word for comparison: case, Unicode form and surrounding punctuation do not count. */
export function normaliseWord(w: string): string {
  return w.normalize('NFKC').toLowerCase().replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
}

/** Normalised words of a text, empty ones dropped. */
export function words(text: string): string[] {
  const out: string[] = [];
  for (const t of displayTokens(text)) {
    const w = normaliseWord(t);
    if (w) out.push(w);
  }
  return out;
}

/**
 * Hashes of the word k-shingles of a text (k = SHINGLE_WORDS). A text shorter than k words gives one
 * shingle of all its words, so short notes still compare.
 */
export function shingleHashes(text: string, k = SHINGLE_WORDS): Uint32Array {
  const ws = words(text);
  if (ws.length === 0) return new Uint32Array(0);
  const hs = ws.map((w) => fnv1a(w));
  const n = Math.max(1, ws.length - k + 1);
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    let h = 0x9747b28c;
    for (let j = i; j < Math.min(i + k, hs.length); j++) h = Math.imul(h ^ hs[j]!, 0x01000193) ^ (h >>> 15);
    out[i] = mix32(h);
  }
  return out;
}

export interface Cell {
  sheet: string;
  ref: string;
  value: string;
}

/** Key of a cell position. */
export const cellKey = (c: { sheet: string; ref: string }): string => `${c.sheet}\u0000${c.ref}`;

/** Position features and (position, value) features: a changed value keeps half its features. */
export function cellHashes(cells: readonly Cell[]): Uint32Array {
  const out = new Uint32Array(cells.length * 2);
  cells.forEach((c, i) => {
    const key = cellKey(c);
    out[2 * i] = mix32(fnv1a(key));
    out[2 * i + 1] = mix32(fnv1a(`${key}\u0000${c.value.trim()}`));
  });
  return out;
}
