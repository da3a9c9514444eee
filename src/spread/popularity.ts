import type { CoordinationEdge, CoordinationNetwork } from './coordination.js';
import type { ObjectTable } from './objects.js';

/**
 * The popularity null: keep each account's activity (how many distinct objects it acted on, k)
 * and the total of co-actions the data shows, and spread those co-actions over pairs in proportion
 * to k_A·k_B. A pair of busy accounts, or two accounts that both retweeted a post that thousands
 * retweeted within the minute, gets a large expected count; a pair that keeps meeting on objects
 * few others touch does not. The pair is then tested with a Poisson upper tail, Bonferroni-corrected
 * over all pairs that co-acted at least once.
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
    const expected = k[edge.a]! * k[edge.b]! * density;
    const log10P = Math.min(0, log10PoissonTail(observed, expected) + Math.log10(tests));
    return { edge, observed, expected, lift: expected > 0 ? observed / expected : Infinity, log10P, significant: observed >= options.minObjects && log10P <= log10Alpha };
  });
}
