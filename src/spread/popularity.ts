import type { CoordinationEdge, CoordinationNetwork } from './coordination.js';
import type { ObjectTable } from './objects.js';

/**
 * The popularity null: if accounts picked objects at random, each in proportion to how many
 * accounts act on it, account A (active on k_A distinct objects out of M account–object actions)
 * would hit object o with probability k_A·n_o/M. For each object a pair co-acted on, the chance that
 * both hit it is (k_A·n_o/M)·(k_B·n_o/M), capped at 1; their sum is what activity and popularity
 * alone give. Two accounts among thousands reposting the same viral posts get nearly one expected
 * co-action per object (explained); a pair that keeps meeting on objects few others touch gets
 * almost none.
 * A second null keeps the co-action density the data shows: all co-actions within the window (viral
 * bursts included, even those left unpaired) spread over pairs in proportion to k_A·k_B. It catches
 * what the first misses: busy accounts (fan hubs, news wires) that prefer popular objects and so meet
 * often without acting together. A pair must beat both: the larger expectation is tested with a
 * Poisson upper tail, Bonferroni-corrected over all pairs that co-acted at least once.
 */
export interface PairEvidence {
  edge: CoordinationEdge;
  observed: number;
  expected: number;
  lift: number;
  /** log10 of the Bonferroni-corrected p-value (≤ log10(alpha) passes). */
  log10P: number;
  significant: boolean;
}

export interface PopularityOptions {
  alpha: number;
  /** Fewer distinct co-acted objects than this never pass: one shared object is a coincidence, however rare. */
  minObjects: number;
}
export const POPULARITY_DEFAULTS: PopularityOptions = { alpha: 0.01, minObjects: 3 };

export function activity(table: ObjectTable, accountCount: number): Int32Array {
  // Distinct objects per account: entries are (object, account) pairs, possibly repeated.
  const k = new Int32Array(accountCount);
  const seen = new Set<number>();
  const n = table.labels.length || 1;
  for (let e = 0; e < table.size; e++) {
    const key = table.account[e]! * n + table.object[e]!;
    if (seen.has(key)) continue;
    seen.add(key);
    k[table.account[e]!]!++;
  }
  return k;
}

/** log10 P(X ≥ k) for X ~ Poisson(λ), summed in log space so tiny tails do not underflow. */
export function log10PoissonTail(k: number, lambda: number): number {
  if (k <= 0) return 0;
  if (lambda <= 0) return -Infinity;
  const logTerm = (i: number) => -lambda + i * Math.log(lambda) - logFactorial(i);
  let max = -Infinity;
  const terms: number[] = [];
  for (let i = k; i < k + 400; i++) {
    const t = logTerm(i);
    terms.push(t);
    if (t > max) max = t;
    if (i > lambda && t < max - 40) break;
  }
  let sum = 0;
  for (const t of terms) sum += Math.exp(t - max);
  return Math.min(0, (max + Math.log(sum)) / Math.LN10);
}

const LOG_FACT: number[] = [0];
function logFactorial(n: number): number {
  for (let i = LOG_FACT.length; i <= n; i++) LOG_FACT[i] = LOG_FACT[i - 1]! + Math.log(i);
  return LOG_FACT[n]!;
}

export function popularityControl(net: CoordinationNetwork, k: Int32Array, options: PopularityOptions = POPULARITY_DEFAULTS): PairEvidence[] {
  let M = 0;
  let M2 = 0;
  for (const x of k) {
    M += x;
    M2 += x * x;
  }
  const pairMass = (M * M - M2) / 2;
  const density = pairMass > 0 ? net.coActions / pairMass : 0;
  const tests = Math.max(1, net.candidatePairs);
  const log10Alpha = Math.log10(options.alpha);
  return net.edges.map((edge) => {
    const observed = edge.objects;
    // Σ_o (k_A n_o/M)(k_B n_o/M) = k_A k_B Σ n_o² / M²; each term is at most 1, so the sum at most the count.
    const byObjects = M > 0 ? Math.min(observed, (k[edge.a]! * k[edge.b]! * edge.popularity) / (M * M)) : observed;
    const byDensity = k[edge.a]! * k[edge.b]! * density;
    const expected = Math.max(byObjects, byDensity);
    const log10P = Math.min(0, log10PoissonTail(observed, expected) + Math.log10(tests));
    return { edge, observed, expected, lift: expected > 0 ? observed / expected : Infinity, log10P, significant: observed >= options.minObjects && log10P <= log10Alpha };
  });
}
