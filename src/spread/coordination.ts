import type { ObjectKind, ObjectTable } from './objects.js';
import { sortByObjectTime } from './objects.js';

/**
 * Two definitions of a co-action network, named after the tools that wrote them down.
 *
 * `qut` — coordination-network-toolkit (commit daa0e11): post a of account A and post b of account
 *   B match when they act on the same object and |t(b) − t(a)| ≤ W (inclusive) and a ≠ b. The
 *   directed weight A→B is how many distinct posts of A have at least one match by B. An edge A→B
 *   exists when that weight ≥ the minimum weight, each direction on its own, so one-way edges exist.
 *   Self-loops (A = B) are dropped.
 *
 * `coortweet` — CooRTweet's detect_groups + generate_coordinated_network: accounts with fewer than
 *   `minParticipation` shares are dropped first; then every pair of shares of the same object by
 *   different accounts with |Δt| ≤ W (inclusive) is a co-share; an account must take part in at
 *   least `minParticipation` distinct co-shared posts, and a co-share is kept when either side's
 *   account does; the undirected weight of a pair is its number of co-shares, with the number of
 *   distinct objects beside it.
 */
export type CoordinationMode = 'qut' | 'coortweet';

export interface CoordinationOptions {
  kind: ObjectKind;
  mode: CoordinationMode;
  windowSeconds: number;
  /** qut: minimum directed weight; coortweet: minimum co-shares of a pair. */
  minWeight: number;
  /** coortweet only. */
  minParticipation: number;
  /**
   * Objects acted on by more accounts than this are not paired (undefined: no limit, as QUT and
   * CooRTweet do). A post thousands repost within minutes yields millions of pairs, memory grows with
   * their square, and the popularity control would explain every one of them anyway.
   */
  maxSharers?: number;
}

export const DEFAULT_WINDOW_SECONDS = 60;
export const DEFAULTS: Record<CoordinationMode, Omit<CoordinationOptions, 'kind' | 'mode'>> = {
  qut: { windowSeconds: DEFAULT_WINDOW_SECONDS, minWeight: 1, minParticipation: 1 },
  // CooRTweet's detect_groups defaults: time_window = 10, min_participation = 2.
  coortweet: { windowSeconds: 10, minWeight: 1, minParticipation: 2 },
};

export interface CoordinationEdge {
  /** Account numbers (PostSet order), a < b. */
  a: number;
  b: number;
  /** qut: distinct posts of a matched by b, and of b matched by a. coortweet: both the pair's co-shares. */
  weightAB: number;
  weightBA: number;
  /** Distinct objects the pair co-acted on within the window. */
  objects: number;
  /** A few of those objects (object numbers of the table). */
  sample: number[];
  firstAt: number;
  lastAt: number;
  /** Σ n_o² over the distinct objects the pair co-acted on (n_o: accounts acting on o), for the popularity null. */
  popularity: number;
}

export interface CoordinationNetwork {
  options: CoordinationOptions;
  edges: CoordinationEdge[];
  /** Account numbers in at least one edge. */
  nodes: number[];
  /** Directed edges (qut) passing the minimum weight. */
  directedEdges: number;
  /** (pair, object) co-actions within the window over all pairs, before any minimum: the popularity null spreads these. */
  coActions: number;
  /** Pairs with at least one co-action, before any minimum. */
  candidatePairs: number;
  /** Objects left unpaired by `maxSharers`: object number and how many accounts acted on it. */
  skippedObjects: { object: number; sharers: number }[];
}

/** Distinct accounts acting on each object. */
function sharersOf(t: ObjectTable, start: Int32Array, order: Int32Array, accountCount: number): Int32Array {
  const out = new Int32Array(t.labels.length);
  const stamp = new Int32Array(accountCount).fill(-1);
  for (let o = 0; o < t.labels.length; o++) {
    let n = 0;
    for (let k = start[o]!; k < start[o + 1]!; k++) {
      const a = t.account[order[k]!]!;
      if (stamp[a] !== o) {
        stamp[a] = o;
        n++;
      }
    }
    out[o] = n;
  }
  return out;
}

/** Objects with more distinct accounts than `max` (never when max is undefined). */
function crowdedObjects(sharers: Int32Array, max: number | undefined): Map<number, number> {
  const out = new Map<number, number>();
  if (max === undefined || !Number.isFinite(max)) return out;
  sharers.forEach((n, o) => {
    if (n > max) out.set(o, n);
  });
  return out;
}

const SAMPLE = 3;

/**
 * Per-pair accumulators in columns (typed arrays grown by doubling): a million pairs cost ~50 MB
 * here against ~250 MB as objects.
 */
class Pairs {
  readonly index = new Map<number, number>();
  private cap = 1024;
  ab = new Int32Array(this.cap);
  ba = new Int32Array(this.cap);
  objects = new Int32Array(this.cap);
  lastObject = new Int32Array(this.cap);
  firstAt = new Float64Array(this.cap);
  lastAt = new Float64Array(this.cap);
  sample = new Int32Array(this.cap * SAMPLE);
  mass = new Float64Array(this.cap);
  constructor(
    private readonly accounts: number,
    private readonly sharers: Int32Array,
  ) {}
  get size(): number {
    return this.index.size;
  }
  private grow(): void {
    const g = <T extends Int32Array | Float64Array>(x: T, n: number): T => {
      const y = new (x.constructor as new (n: number) => T)(n);
      y.set(x);
      return y;
    };
    this.cap *= 2;
    this.ab = g(this.ab, this.cap);
    this.ba = g(this.ba, this.cap);
    this.objects = g(this.objects, this.cap);
    this.lastObject = g(this.lastObject, this.cap);
    this.firstAt = g(this.firstAt, this.cap);
    this.lastAt = g(this.lastAt, this.cap);
    this.sample = g(this.sample, this.cap * SAMPLE);
    this.mass = g(this.mass, this.cap);
  }
  slot(a: number, b: number): number {
    const key = a < b ? a * this.accounts + b : b * this.accounts + a;
    let s = this.index.get(key);
    if (s === undefined) {
      s = this.index.size;
      if (s >= this.cap) this.grow();
      this.index.set(key, s);
      this.lastObject[s] = -1;
      this.firstAt[s] = Infinity;
      this.lastAt[s] = -Infinity;
    }
    return s;
  }
  noteObject(s: number, object: number, at: number): void {
    // Both walks are object-major, so a changed object is a new one for this pair.
    if (this.lastObject[s] !== object) {
      this.lastObject[s] = object;
      const n = this.objects[s]!++;
      if (n < SAMPLE) this.sample[s * SAMPLE + n] = object;
      const k = this.sharers[object]!;
      this.mass[s]! += k * k;
    }
    if (at < this.firstAt[s]!) this.firstAt[s] = at;
    if (at > this.lastAt[s]!) this.lastAt[s] = at;
  }
  edge(key: number, s: number, weightAB: number, weightBA: number): CoordinationEdge {
    const a = Math.floor(key / this.accounts);
    const b = key % this.accounts;
    const n = Math.min(SAMPLE, this.objects[s]!);
    return { a, b, weightAB, weightBA, objects: this.objects[s]!, sample: Array.from(this.sample.subarray(s * SAMPLE, s * SAMPLE + n)), firstAt: this.firstAt[s]!, lastAt: this.lastAt[s]!, popularity: this.mass[s]! };
  }
}

export function coordinationNetwork(table: ObjectTable, accountCount: number, options: CoordinationOptions): CoordinationNetwork {
  return options.mode === 'qut' ? qutNetwork(table, accountCount, options) : cooRTweetNetwork(table, accountCount, options);
}

function qutNetwork(t: ObjectTable, accountCount: number, options: CoordinationOptions): CoordinationNetwork {
  const W = options.windowSeconds * 1000;
  const { order, start } = sortByObjectTime(t);
  const sharers = sharersOf(t, start, order, accountCount);
  const crowded = crowdedObjects(sharers, options.maxSharers);
  // Walk object by object (so distinct objects per pair are exact), each entry scanning its window.
  // "Distinct posts of A matched by B": one stamp per (entry, B); a post with several entries (two
  // URLs) also goes through a set of (post, B) so it counts once across its objects.
  let posts = 0;
  for (let e = 0; e < t.size; e++) if (t.post[e]! >= posts) posts = t.post[e]! + 1;
  const entriesOfPost = new Uint8Array(posts);
  for (let e = 0; e < t.size; e++) if (entriesOfPost[t.post[e]!]! < 2) entriesOfPost[t.post[e]!]!++;
  const multiSeen = new Set<number>();
  const stamp = new Int32Array(accountCount).fill(-1);
  const pairs = new Pairs(accountCount, sharers);
  for (let o = 0; o < t.labels.length; o++) {
    const lo = start[o]!;
    const hi = start[o + 1]!;
    if (hi - lo < 2 || crowded.has(o)) continue;
    let from = lo;
    let to = lo;
    for (let r = lo; r < hi; r++) {
      const e = order[r]!;
      const post = t.post[e]!;
      const a = t.account[e]!;
      const at = t.time[e]!;
      while (t.time[order[from]!]! < at - W) from++;
      if (to < r) to = r;
      while (to < hi && t.time[order[to]!]! <= at + W) to++;
      for (let k = from; k < to; k++) {
        const f = order[k]!;
        if (t.post[f] === post) continue;
        const b = t.account[f]!;
        if (b === a) continue; // a self-loop: counted by QUT, then left out of its graph
        if (stamp[b] === e) continue;
        stamp[b] = e;
        const p = pairs.slot(a, b);
        pairs.noteObject(p, o, Math.min(at, t.time[f]!));
        if (entriesOfPost[post]! > 1) {
          const key = post * accountCount + b;
          if (multiSeen.has(key)) continue;
          multiSeen.add(key);
        }
        if (a < b) pairs.ab[p]!++;
        else pairs.ba[p]!++;
      }
    }
  }
  const edges: CoordinationEdge[] = [];
  let directed = 0;
  for (const [key, p] of pairs.index) {
    const ab = pairs.ab[p]!;
    const ba = pairs.ba[p]!;
    const ok1 = ab >= options.minWeight;
    const ok2 = ba >= options.minWeight;
    if (!ok1 && !ok2) continue;
    directed += (ok1 ? 1 : 0) + (ok2 ? 1 : 0);
    edges.push(pairs.edge(key, p, ok1 ? ab : 0, ok2 ? ba : 0));
  }
  return finish(options, edges, directed, pairs, crowded, crowdedCoActions(t, crowded, W));
}

function cooRTweetNetwork(t: ObjectTable, accountCount: number, options: CoordinationOptions): CoordinationNetwork {
  const W = options.windowSeconds * 1000;
  const minPart = options.minParticipation;
  // Pre-filter: an account needs min_participation shares before it is considered at all.
  const shares = new Int32Array(accountCount);
  for (let e = 0; e < t.size; e++) shares[t.account[e]!]!++;
  const { order, start } = sortByObjectTime(t);
  const sharers = sharersOf(t, start, order, accountCount);
  const crowded = crowdedObjects(sharers, options.maxSharers);
  const rows: number[] = []; // flat (entry, entry) co-shares
  for (let o = 0; o < t.labels.length; o++) {
    if (crowded.has(o)) continue;
    const lo = start[o]!;
    const hi = start[o + 1]!;
    for (let i = lo; i < hi; i++) {
      const x = order[i]!;
      if (shares[t.account[x]!]! < minPart) continue;
      for (let j = i + 1; j < hi; j++) {
        const y = order[j]!;
        if (t.time[y]! - t.time[x]! > W) break;
        if (shares[t.account[y]!]! < minPart) continue;
        if (t.post[x] === t.post[y] || t.account[x] === t.account[y]) continue;
        rows.push(x, y);
      }
    }
  }
  // An account takes part when ≥ min_participation of its distinct posts are in co-shares.
  const inRows = new Uint8Array(t.size);
  for (const e of rows) inRows[e] = 1;
  const seenPost = new Set<number>();
  const part = new Int32Array(accountCount);
  for (let e = 0; e < t.size; e++) {
    if (!inRows[e] || seenPost.has(t.post[e]!)) continue;
    seenPost.add(t.post[e]!);
    part[t.account[e]!]!++;
  }
  const pairs = new Pairs(accountCount, sharers);
  for (let r = 0; r < rows.length; r += 2) {
    const x = rows[r]!;
    const y = rows[r + 1]!;
    const ax = t.account[x]!;
    const ay = t.account[y]!;
    if (part[ax]! < minPart && part[ay]! < minPart) continue;
    const p = pairs.slot(ax, ay);
    pairs.ab[p]!++;
    pairs.noteObject(p, t.object[x]!, Math.min(t.time[x]!, t.time[y]!));
  }
  const edges: CoordinationEdge[] = [];
  for (const [key, p] of pairs.index) {
    const w = pairs.ab[p]!;
    if (w < options.minWeight) continue;
    edges.push(pairs.edge(key, p, w, w));
  }
  return finish(options, edges, edges.length, pairs, crowded, crowdedCoActions(t, crowded, W));
}

/**
 * Co-actions inside the unpaired objects, counted without storing pairs (entry pairs within the
 * window, two pointers): they belong to the popularity null's total, or leaving viral posts out
 * would make everything else look rarer than it is.
 */
function crowdedCoActions(t: ObjectTable, crowded: Map<number, number>, W: number): number {
  if (!crowded.size) return 0;
  const { order, start } = sortByObjectTime(t);
  let n = 0;
  for (const o of crowded.keys()) {
    const lo = start[o]!;
    const hi = start[o + 1]!;
    let to = lo;
    for (let r = lo; r < hi; r++) {
      if (to < r + 1) to = r + 1;
      while (to < hi && t.time[order[to]!]! - t.time[order[r]!]! <= W) to++;
      n += to - r - 1;
    }
  }
  return n;
}

function finish(options: CoordinationOptions, edges: CoordinationEdge[], directedEdges: number, pairs: Pairs, crowded: Map<number, number>, crowdedPairs = 0): CoordinationNetwork {
  let coActions = crowdedPairs;
  for (let p = 0; p < pairs.size; p++) coActions += pairs.objects[p]!;
  const nodes = new Set<number>();
  for (const e of edges) {
    nodes.add(e.a);
    nodes.add(e.b);
  }
  return { options, edges, nodes: [...nodes].sort((x, y) => x - y), directedEdges, coActions, candidatePairs: pairs.size, skippedObjects: [...crowded].map(([object, sharers]) => ({ object, sharers })) };
}

/** Connected components of the undirected network (union-find: the edge list is all there is). */
export function components(net: CoordinationNetwork, accountCount: number): number[][] {
  const parent = new Int32Array(accountCount);
  for (let i = 0; i < accountCount; i++) parent[i] = i;
  const find = (x: number): number => {
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]!]!;
      x = parent[x]!;
    }
    return x;
  };
  for (const e of net.edges) {
    const ra = find(e.a);
    const rb = find(e.b);
    if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
  }
  const groups = new Map<number, number[]>();
  for (const n of net.nodes) {
    const r = find(n);
    let g = groups.get(r);
    if (!g) groups.set(r, (g = []));
    g.push(n);
  }
  return [...groups.values()].sort((x, y) => y.length - x.length || (x[0] ?? 0) - (y[0] ?? 0));
}
