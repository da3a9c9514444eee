// MinHash signatures (Broder 1997): for each of H hash functions, the minimum over a document's
// features. Two signatures agree on a position with probability equal to the sets' Jaccard index.
// Hand-written: the npm MinHash packages hash strings per permutation, which is ~20x slower than
// permuting a pre-hashed 32-bit feature with one multiply-add over typed arrays.

export const DEFAULT_HASHES = 128;

export interface MinHasher {
  size: number;
  signature(features: Uint32Array): Uint32Array;
}

/** Deterministic PRNG (mulberry32) so signatures are the same on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/** H permutations x → a·x + b (mod 2^32) with odd a: bijections on 32-bit features that are already mixed. */
export function minHasher(size = DEFAULT_HASHES, seed = 0x7a6d15): MinHasher {
  const next = prng(seed);
  const a = new Uint32Array(size);
  const b = new Uint32Array(size);
  for (let i = 0; i < size; i++) {
    a[i] = next() | 1;
    b[i] = next();
  }
  return {
    size,
    signature(features: Uint32Array): Uint32Array {
      const sig = new Uint32Array(size).fill(0xffffffff);
      for (let f = 0; f < features.length; f++) {
        const x = features[f]!;
        for (let i = 0; i < size; i++) {
          const v = (Math.imul(a[i]!, x) + b[i]!) >>> 0;
          if (v < sig[i]!) sig[i] = v;
        }
      }
      return sig;
    },
  };
}

/** Share of equal positions: an unbiased estimate of the Jaccard index of the two feature sets. */
export function estimateJaccard(x: Uint32Array, y: Uint32Array): number {
  let same = 0;
  for (let i = 0; i < x.length; i++) if (x[i] === y[i]) same++;
  return x.length ? same / x.length : 0;
}

/** Exact Jaccard index of two feature sets (duplicates ignored). */
export function exactJaccard(x: Uint32Array, y: Uint32Array): number {
  const a = new Set(x);
  const b = new Set(y);
  if (a.size === 0 && b.size === 0) return 1;
  let inter = 0;
  for (const v of a) if (b.has(v)) inter++;
  return inter / (a.size + b.size - inter);
}
